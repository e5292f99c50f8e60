"""Small bundles for every gap check, with cases on both sides of each rule.

Every case is evaluated as of D = 2026-06-15 unless it says otherwise; ``expected`` is the whole
set of subject ids the check must report, ``reasons`` pins the wording of some of them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from aimsgraph.ontology import catalogue

D = dt.date(2026, 6, 15)

ANNEX_A = {i.ref for i in catalogue() if i.kind == "annex_a_control"}
LEAF_CLAUSES = {i.ref for i in catalogue() if i.kind == "clause"} - {
    i.parent for i in catalogue() if i.kind == "clause"}


def _q(refs: set[str]) -> set[str]:
    return {f"ISO42001:{r}" for r in refs}


def _leaves_under(ref: str) -> set[str]:
    """The leaf clauses at or below clause ``ref``."""
    parents = {i.ref: i.parent for i in catalogue() if i.kind == "clause"}
    found = set()
    for leaf in LEAF_CLAUSES:
        current: str | None = leaf
        while current is not None and current != ref:
            current = parents.get(current)
        if current == ref:
            found.add(leaf)
    return found


def _not_audited(start: str, day: str, tail: str) -> str:
    return f"no internal audit dated after {start} and on or before {day} covers it; {tail}"


@dataclass(frozen=True)
class GapCase:
    name: str
    check: str
    files: dict[str, str]
    expected: set[str]
    reasons: dict[str, str] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)
    as_of: dt.date = D


PEOPLE = """
id,name,seniority,active,left_on
P-L,Lea Leader,executive,,
P-S,Sam Staff,staff,,
P-T,Tia Staff,staff,,
P-GONE,Gus Gone,staff,false,2026-06-15
P-LATER,Lou Later,staff,,2026-06-16
P-INACT,Ina Inactive,staff,false,
P-LEAVING,Lee Leaving,staff,false,2026-06-16
"""

CASES = [
    GapCase(
        "owner-holders-around-D", "ai-system-without-accountable-owner",
        {"people.csv": PEOPLE,
         "roles.csv": """
            id,name
            R-A,Role A
            R-B,Role B
            R-C,Role C
            R-D,Role D
            R-E,Role E
            R-F,Role F
            R-G,Role G
            R-H,Role H
            R-I,Role I
         """,
         "role_assignments.csv": """
            person,role,since,until
            P-S,R-A,2020-01-01,
            P-GONE,R-B,2020-01-01,
            P-LATER,R-C,2020-01-01,
            P-S,R-D,2026-06-16,
            P-S,R-E,2020-01-01,2026-06-14
            P-T,R-F,2020-01-01,2026-06-15
            P-T,R-G,2026-06-15,
            P-INACT,R-H,2020-01-01,
            P-LEAVING,R-I,2020-01-01,
         """,
         "ai_systems.csv": """
            id,name,lifecycle,owner_role
            S-1,One,deployed,R-A
            S-2,Two,deployed,R-B
            S-3,Three,development,R-C
            S-4,Four,design,R-D
            S-5,Five,deployed,R-E
            S-6,Six,deployed,R-F
            S-7,Seven,deployed,R-G
            S-8,Eight,deployed,R-H
            S-9,Nine,deployed,
            S-10,Ten,retired,
            S-11,Eleven,retired,R-B
            S-12,Twelve,deployed,R-B
            S-13,Thirteen,deployed,R-I
         """,
         "relationships.csv": "from,type,to\nR-A,ACCOUNTABLE_FOR,S-12\n"},
        {"S-2", "S-4", "S-5", "S-8", "S-9"},
        {"S-2": "owner role R-B (Role B) has no current holder: Gus Gone left on 2026-06-15",
         "S-4": "owner role R-D (Role D) has no current holder: Sam Staff starts on 2026-06-16",
         "S-5": "owner role R-E (Role E) has no current holder: Sam Staff held it until "
                "2026-06-14",
         "S-8": "owner role R-H (Role H) has no current holder: Ina Inactive is not active",
         "S-9": "no role is accountable for it"},
    ),
    GapCase(
        "owner-chains", "control-without-responsible-executive",
        {"people.csv": PEOPLE,
         "roles.csv": """
            id,name,reports_to
            R-TOP,Top,
            R-MID,Middle,R-TOP
            R-LOW,Low,R-MID
            R-END,End,
            R-X,Ex,R-Y
            R-Y,Why,R-X
            R-SELF,Self,R-SELF
            R-LGONE,Leader role whose holder left,
         """,
         "role_assignments.csv": """
            person,role
            P-L,R-TOP
            P-S,R-LOW
            P-S,R-END
            P-T,R-X
            P-T,R-Y
            P-S,R-SELF
         """,
         "controls.csv": """
            id,name,status,owner_role
            C-1,Through a vacant middle,implemented,R-LOW
            C-2,Chain ends,implemented,R-END
            C-3,Loop,operating,R-X
            C-4,No owner,implemented,
            C-5,Retired,retired,R-END
            C-6,Planned,planned,R-END
            C-7,Self loop,implemented,R-SELF
            C-8,Owned by a leader,implemented,R-TOP
            C-9,Leader left,implemented,R-LGONE
         """},
        {"C-2", "C-3", "C-4", "C-6", "C-7", "C-9"},
        {"C-2": "the reporting line ends at R-END (End) without reaching a Leader",
         "C-3": "the reporting line loops back to R-X (Ex) without reaching a Leader",
         "C-4": "it has no owner role",
         "C-7": "the reporting line loops back to R-SELF (Self) without reaching a Leader"},
    ),
    GapCase(
        "vacant-roles", "vacant-accountable-role",
        {"people.csv": PEOPLE,
         "roles.csv": "id,name\n" + "".join(f"R-V{i},Vacant {i}\n" for i in range(1, 10))
                      + "R-H,Held\n",
         "role_assignments.csv": "person,role\nP-S,R-H\nP-GONE,R-V1\n",
         "ai_systems.csv": """
            id,name,lifecycle,owner_role
            S-1,Live,deployed,R-V1
            S-2,Old,retired,R-V2
         """,
         "risks.csv": """
            id,title,status,owner_role
            K-1,Closed risk,closed,R-V3
            K-2,Open risk,open,R-V4
         """,
         "controls.csv": """
            id,name,status,owner_role
            C-1,Retired,retired,R-V5
            C-2,Planned,planned,R-V6
            C-3,Held,implemented,R-H
         """,
         "policies.csv": """
            id,title,status,owner_role
            POL-1,Draft,draft,R-V7
            POL-2,Retired,retired,R-V8
         """},
        {"R-V1", "R-V4", "R-V6", "R-V7"},
        {"R-V1": "Gus Gone left on 2026-06-15; it answers for S-1",
         "R-V4": "nobody has been assigned to it; it answers for K-2"},
    ),
    GapCase(
        "annex-a-implementation", "annex-a-control-not-implemented",
        {"controls.csv": """
            id,name,status,implements
            C-1,Implemented,implemented,A.2.2
            C-2,Planned,planned,A.2.3
            C-3,Operating,operating,A.3.2
            C-4,Retired,retired,A.3.3
            C-5,Clause only,implemented,5.2
         """,
         "soa.csv": """
            requirement,applicable,justification
            A.2.2,yes,
            A.2.3,yes,
            A.2.4,no,Not relevant
            A.3.2,yes,
            A.3.3,yes,
         """},
        _q(ANNEX_A - {"A.2.2", "A.3.2", "A.2.4"}),
        {"ISO42001:A.2.3": "no implemented control implements it (C-2 is planned)",
         "ISO42001:A.3.3": "no implemented control implements it (C-4 is retired)",
         "ISO42001:A.4.2":
             "no control implements it; applicable by default (no SoA decision)"},
    ),
    GapCase(
        "soa-decisions", "annex-a-control-without-soa-decision",
        {"soa.csv": """
            requirement,applicable,justification
            A.2.2,yes,
            A.2.3,no,Covered by the group policy
            A.2.4,no,
         """},
        _q(ANNEX_A - {"A.2.2", "A.2.3"}),
        {"ISO42001:A.2.4": "excluded without a justification",
         "ISO42001:A.3.2": "no Statement of Applicability decision"},
    ),
    GapCase(
        "evidence-validity", "control-without-valid-evidence",
        {"controls.csv": """
            id,name,status
            C-1,Valid until D,implemented
            C-2,Collected after D,implemented
            C-3,No collection date,operating
            C-4,Expired the day before,implemented
            C-5,No evidence,implemented
            C-6,Planned,planned
            C-7,Collected on D,implemented
            C-8,One good one bad,implemented
         """,
         "evidence.csv": """
            id,title,supports,collected_on,valid_until
            E-1,a,C-1,2026-01-01,2026-06-15
            E-2,b,C-2,2026-06-16,
            E-3,c,C-3,,2027-01-01
            E-4,d,C-4,2026-01-01,2026-06-14
            E-7,g,C-7,2026-06-15,
            E-8,h,C-8,2025-01-01,2025-12-31
            E-9,i,C-8,2026-02-01,2026-12-31
         """},
        {"C-2", "C-3", "C-4", "C-5"},
        {"C-2": "no valid evidence: E-2 was collected later, on 2026-06-16",
         "C-3": "no valid evidence: E-3 has no collection date",
         "C-4": "no valid evidence: E-4 expired on 2026-06-14",
         "C-5": "no evidence supports it"},
    ),
    GapCase(
        "high-risks", "high-risk-untreated",
        {"people.csv": PEOPLE,
         "risks.csv": """
            id,title,likelihood,impact,status,accepted_by
            K-1,At the threshold,4,3,open,
            K-2,Below,2,5,open,
            K-3,Mitigated,5,5,open,
            K-4,Treated on paper,5,5,treated,
            K-5,Accepted by a leader,5,5,accepted,P-L
            K-6,Accepted by staff,5,5,accepted,P-S
            K-7,Closed,5,5,closed,
            K-8,Open with an acceptor,5,5,open,P-L
            K-9,Accepted by nobody,4,4,accepted,
         """,
         "controls.csv": """
            id,name,status,mitigates
            C-1,Works,implemented,K-3
            C-2,Not yet,planned,K-4
         """},
        {"K-1", "K-4", "K-6", "K-8", "K-9"},
        {"K-1": "score 12 (threshold 12); no control mitigates it",
         "K-4": "score 25 (threshold 12); no implemented mitigating control (C-2 is planned); "
                "marked treated without an implemented control",
         "K-6": "score 25 (threshold 12); no control mitigates it; accepted by Sam Staff, who "
                "is not a Leader"},
    ),
    GapCase(
        "high-risks-threshold-13", "high-risk-untreated",
        {"risks.csv": "id,title,likelihood,impact,status\nK-1,Twelve,4,3,open\n"
                      "K-2,Sixteen,4,4,open\n"},
        {"K-2"}, params={"high_risk_threshold": 13},
    ),
    GapCase(
        "risk-owners", "risk-without-owner",
        {"people.csv": PEOPLE,
         "roles.csv": "id,name\nR-V,Vacant\nR-H,Held\nR-G,Gone\n",
         "role_assignments.csv": "person,role\nP-S,R-H\nP-GONE,R-G\n",
         "risks.csv": """
            id,title,status,owner_role
            K-1,No owner,open,
            K-2,Vacant owner,open,R-V
            K-3,Held owner,open,R-H
            K-4,Closed,closed,
            K-5,Owner left,treated,R-G
         """},
        {"K-1", "K-2", "K-5"},
        {"K-1": "no owner role",
         "K-5": "owner role R-G (Gone) has no current holder: Gus Gone left on 2026-06-15"},
    ),
    GapCase("no-policies", "ai-policy-missing", {}, {"ISO42001:5.2"},
            {"ISO42001:5.2": "no approved policy addresses clause 5.2"}),
    GapCase(
        "approved-ai-policy", "ai-policy-missing",
        {"policies.csv": "id,title,status,addresses\nPOL-1,AI Policy,approved,5.2\n"}, set()),
    GapCase(
        "only-a-draft-ai-policy", "ai-policy-missing",
        {"policies.csv": "id,title,status,addresses\nPOL-1,AI Policy,draft,5.2\n"
                         "POL-2,Annex policy,approved,A.2.2\n"},
        {"ISO42001:5.2"},
        {"ISO42001:5.2": "no approved policy addresses clause 5.2 (POL-1 AI Policy is draft)"},
    ),
    GapCase(
        "policy-approvers", "policy-not-approved-by-leader",
        {"people.csv": PEOPLE + "P-XL,Ex Leader,executive,false,2025-01-01\n",
         "policies.csv": """
            id,title,status,approved_by
            POL-1,By a leader,approved,P-L
            POL-2,By staff,approved,P-S
            POL-3,Nobody,approved,
            POL-4,Draft,draft,
            POL-6,By a former leader,approved,P-XL
         """,
         "relationships.csv": "from,type,to\nPOL-2,APPROVED_BY,P-T\nPOL-1,APPROVED_BY,P-S\n"},
        {"POL-2", "POL-3"},
        {"POL-2": "approved by Sam Staff, who is not a Leader, Tia Staff, who is not a Leader",
         "POL-3": "no approver is recorded"},
    ),
    GapCase(
        "policy-reviews", "policy-review-overdue",
        {"policies.csv": """
            id,title,status,review_due
            POL-1,Due yesterday,approved,2026-06-14
            POL-2,Due today,approved,2026-06-15
            POL-3,Draft,draft,2026-03-07
            POL-4,No date,approved,
         """},
        {"POL-1"}, {"POL-1": "review was due on 2026-06-14 (1 day ago)"},
    ),
    GapCase(
        "impact-assessments", "ai-system-without-impact-assessment",
        {"ai_systems.csv": "id,name,lifecycle\n" + "".join(
            f"S-{i},System {i},{'development' if i == 5 else 'deployed'}\n" for i in range(1, 9)),
         "impact_assessments.csv": """
            id,system,completed_on,review_due
            IA-1,S-1,2026-06-15,2026-06-15
            IA-2,S-2,2026-06-16,
            IA-3,S-3,2025-01-01,2026-06-14
            IA-6,S-6,,
            IA-7a,S-7,2024-01-01,2025-01-01
            IA-7b,S-7,2026-01-01,2027-01-01
            IA-8,S-8,2026-01-01,
         """},
        {"S-2", "S-3", "S-4", "S-6"},
        {"S-2": "no current impact assessment: IA-2 completes on 2026-06-16",
         "S-3": "no current impact assessment: IA-3 was due for review on 2026-06-14",
         "S-4": "no impact assessment",
         "S-6": "no current impact assessment: IA-6 is not completed"},
    ),
    GapCase(
        "training-validity", "training-missing",
        {"people.csv": "id,name,seniority\n" + "".join(f"P-{i},Person {i},staff\n"
                                                       for i in range(1, 8))
                       + "P-8,Person 8,executive\n",
         "roles.csv": "id,name\nR-1,One\nR-2,Two\n",
         "role_assignments.csv": """
            person,role,since,until
            P-1,R-1,,
            P-2,R-1,,
            P-3,R-1,,
            P-4,R-2,,
            P-5,R-2,,
            P-6,R-1,,
            P-7,R-1,2020-01-01,2026-01-01
            P-8,R-1,,
         """,
         "trainings.csv": "id,name,validity_months,required_for\nT-1,Yearly,12,R-1\n"
                          "T-2,Once,,R-2\n",
         "training_records.csv": """
            person,training,completed_on,expires_on
            P-1,T-1,2025-06-15,
            P-2,T-1,2025-06-14,
            P-3,T-1,2026-01-01,2026-06-14
            P-4,T-2,2010-01-01,
            P-6,T-1,2026-06-16,
         """},
        {"P-2", "P-3", "P-5", "P-6", "P-8"},
        {"P-2": "T-1 Yearly required for R-1: completion of 2025-06-14 is no longer valid",
         "P-5": "T-2 Once required for R-2: never completed"},
    ),
    GapCase(
        "audit-findings", "finding-overdue",
        {"people.csv": PEOPLE,
         "findings.csv": """
            id,severity,status,due,assigned_to
            F-1,major,open,2026-06-14,P-S
            F-2,minor,open,2026-06-15,P-S
            F-3,minor,open,2026-06-25,
            F-4,minor,closed,2026-03-07,
            F-5,observation,open,,P-S
         """},
        {"F-1", "F-3"},
        {"F-1": "corrective action was due on 2026-06-14",
         "F-3": "nobody is assigned to it"},
    ),
    GapCase(
        "clause-coverage", "clause-without-coverage",
        {"policies.csv": "id,title,status,addresses\nPOL-1,Draft,draft,4.1\n"
                         "POL-2,Retired,retired,4.2\n",
         "controls.csv": "id,name,status,implements\nC-1,Planned,planned,4.3\n"
                         "C-2,Retired,retired,4.4\n",
         "evidence.csv": """
            id,title,supports,collected_on,valid_until
            E-1,Valid,5.1,2026-01-01,
            E-2,Expired,5.2,2025-01-01,2025-12-31
            E-3,On a parent clause,6.1,2026-01-01,
         """},
        _q(LEAF_CLAUSES - {"4.1", "4.3", "5.1"}),
    ),
    GapCase(
        "key-people", "key-person-concentration",
        {"people.csv": "id,name\n" + "".join(f"P-{i},Person {i}\n" for i in range(1, 7)),
         "roles.csv": "id,name\nR-1,One\nR-2,Two\nR-3,Three\nR-5,Five\nR-6a,Six a\nR-6b,Six b\n",
         "role_assignments.csv": "person,role\nP-1,R-1\nP-2,R-2\nP-3,R-3\nP-4,R-3\nP-5,R-5\n"
                                 "P-6,R-6a\nP-6,R-6b\n",
         "ai_systems.csv": """
            id,name,lifecycle,owner_role
            S-1,a,deployed,R-1
            S-2,b,design,R-1
            S-3,c,deployed,R-2
            S-4,d,deployed,R-2
            S-5,e,retired,R-5
            S-6,f,deployed,R-6a
            S-7,g,deployed,R-6a
         """,
         "controls.csv": """
            id,name,status,owner_role
            C-1,a,implemented,R-1
            C-2,b,implemented,R-3
            C-3,c,implemented,R-3
            C-4,d,implemented,R-3
            C-5,e,retired,R-5
            C-6,f,planned,R-5
            C-7,g,implemented,R-6b
         """},
        {"P-1", "P-6"},
        {"P-1": "sole current holder of R-1, answering for 2 AI systems and 1 control (3 > 2)"},
        params={"key_person_limit": 2},
    ),
    GapCase(
        "audit-cycle", "clause-not-audited",
        {"audits.csv": """
            id,kind,date,covers
            AUD-1,internal,2023-06-16,9.2
            AUD-2,internal,2023-06-15,4.1
            AUD-3,internal,2026-06-15,4.2
            AUD-4,internal,2026-06-16,4.3
            AUD-5,external,2026-01-01,4.4
            AUD-6,management_review,2026-01-01,5.1
            AUD-7,internal,,5.2
            AUD-8,internal,2020-01-01,4.1
            AUD-9,internal,2023-06-15,4
            AUD-10,internal,2025-01-01,10
         """},
        _q(LEAF_CLAUSES - {"9.2.1", "9.2.2", "4.2"} - _leaves_under("10")),
        {"ISO42001:4.1": _not_audited("2023-06-15", "2026-06-15",
                                      "last covered by AUD-2 on 2023-06-15"),
         "ISO42001:4.3": _not_audited("2023-06-15", "2026-06-15",
                                      "last covered by AUD-9 on 2023-06-15"),
         "ISO42001:5.1": _not_audited("2023-06-15", "2026-06-15",
                                      "no earlier internal audit covers it")},
    ),
    GapCase(
        "audit-cycle-month-end", "clause-not-audited",
        {"audits.csv": """
            id,kind,date,covers
            AUD-A,internal,2026-02-28,4.1
            AUD-B,internal,2026-03-01,4.2
         """},
        _q(LEAF_CLAUSES - {"4.2"}),
        {"ISO42001:4.1": _not_audited("2026-02-28", "2026-05-31",
                                      "last covered by AUD-A on 2026-02-28")},
        params={"audit_cycle_months": 3}, as_of=dt.date(2026, 5, 31),
    ),
    GapCase(
        "auditor-impartiality", "auditor-not-impartial",
        {"people.csv": PEOPLE,
         "roles.csv": """
            id,name,reports_to
            R-TOP,Top,
            R-MID,Middle,R-TOP
            R-LOW,Low,R-MID
            R-OTHER,Other,
            R-X,Ex,R-Y
            R-Y,Why,R-X
         """,
         "role_assignments.csv": """
            person,role,since,until
            P-L,R-TOP,,
            P-S,R-LOW,,
            P-T,R-OTHER,2026-01-11,
            P-T,R-Y,,
            P-LATER,R-MID,,
            P-GONE,R-LOW,,
            P-INACT,R-Y,,
         """,
         "controls.csv": """
            id,name,status,owner_role,implements
            C-1,Verification,implemented,R-LOW,A.6.2.4
            C-2,Audit programme,implemented,R-OTHER,9.2.1
            C-3,Retired,retired,R-LOW,A.7.4
            C-4,Owned in a loop,planned,R-X,A.5.2
            C-5,On a parent clause,implemented,R-MID,6.1
         """,
         "audits.csv": """
            id,kind,date,lead,covers
            A-1,internal,2026-01-10,P-L,A.6.2
            A-2,internal,2026-01-10,P-T,9.2.1
            A-3,internal,2026-01-11,P-T,9.2
            A-4,internal,2026-01-10,P-S,A.7.4
            A-5,external,2026-01-10,P-S,A.6.2.4
            A-6,internal,2026-06-16,P-S,A.6.2.4
            A-7,internal,2026-01-10,P-LATER,6.1.2
            A-8,internal,2026-01-10,P-LATER,A.6.2.4
            A-9,internal,2026-01-10,P-GONE,A.6.2.4
            A-10,internal,2026-01-10,P-INACT,A.5.2
            A-11,internal,2026-01-10,P-T,A.5.2
            A-12,internal,2026-01-10,P-L,A.6.2.4
         """,
         "relationships.csv": "from,type,to\nA-12,LED_BY,P-S\n"},
        {"A-1", "A-3", "A-8", "A-9", "A-11", "A-12"},
        {"A-1": "Lea Leader held R-TOP on 2026-01-10, owning or above the owners of C-1",
         "A-3": "Tia Staff held R-OTHER on 2026-01-11, owning or above the owners of C-2",
         "A-9": "Gus Gone held R-LOW on 2026-01-10, owning or above the owners of C-1",
         "A-11": "Tia Staff held R-Y on 2026-01-10, owning or above the owners of C-4",
         "A-12": "Lea Leader held R-TOP on 2026-01-10, owning or above the owners of C-1; "
                 "Sam Staff held R-LOW on 2026-01-10, owning or above the owners of C-1"},
    ),
    GapCase(
        "evidence-frequency", "evidence-stale-for-frequency",
        {"controls.csv": """
            id,name,status,frequency
            C-1,Monthly fresh,implemented,monthly
            C-2,Monthly stale,implemented,Monthly
            C-3,Daily,operating,daily
            C-4,Daily stale,implemented,daily
            C-5,Weekly stale,implemented,weekly
            C-6,Quarterly,implemented,quarter
            C-7,Half-yearly stale,implemented,half-yearly
            C-8,Annual,implemented,annual
            C-9,Yearly stale,implemented,yearly
            C-10,On event,implemented,on_event
            C-11,Unrecognised,implemented,continuous
            C-12,No frequency,implemented,
            C-13,Planned,planned,monthly
            C-14,No evidence,implemented,monthly
            C-15,Only later evidence,implemented,monthly
            C-16,Two latest,implemented,monthly
         """,
         "evidence.csv": """
            id,title,supports,collected_on
            E-1,a,C-1,2026-05-15
            E-2,b,C-2,2026-05-14
            E-3,c,C-3,2026-06-14
            E-4,d,C-4,2026-06-13
            E-5,e,C-5,2026-06-07
            E-6,f,C-6,2026-03-15
            E-7,g,C-7,2025-12-14
            E-8,h,C-8,2025-06-15
            E-9,i,C-9,2025-06-14
            E-9b,i2,C-9,2026-06-20
            E-10,j,C-10,2010-01-01
            E-11,k,C-11,2010-01-01
            E-12,l,C-12,2010-01-01
            E-13,m,C-13,2010-01-01
            E-15,o,C-15,2026-06-16
            E-16a,p,C-16,2026-01-01
            E-16b,q,C-16,2026-01-01
            E-16c,r,C-16,2025-01-01
         """},
        {"C-2", "C-4", "C-5", "C-7", "C-9", "C-16"},
        {"C-2": "frequency monthly: latest evidence collected on 2026-05-14, none since "
                "2026-05-15",
         "C-7": "frequency semiannually: latest evidence collected on 2025-12-14, none since "
                "2025-12-15",
         "C-9": "frequency annually: latest evidence collected on 2025-06-14, none since "
                "2025-06-15"},
    ),
    GapCase(
        "evidence-frequency-month-end", "evidence-stale-for-frequency",
        {"controls.csv": "id,name,status,frequency\nC-1,a,implemented,monthly\n"
                         "C-2,b,implemented,monthly\n",
         "evidence.csv": "id,title,supports,collected_on\nE-1,a,C-1,2026-02-28\n"
                         "E-2,b,C-2,2026-02-27\n"},
        {"C-2"},
        {"C-2": "frequency monthly: latest evidence collected on 2026-02-27, none since "
                "2026-02-28"},
        as_of=dt.date(2026, 3, 31),
    ),
    GapCase(
        "recurring-findings", "finding-recurred",
        {"controls.csv": "id,name\nC-1,a\nC-2,b\nC-3,c\nC-4,d\n",
         "ai_systems.csv": "id,name\nS-1,System\n",
         "audits.csv": """
            id,kind,date
            A-0,internal,
            A-1,internal,2025-01-01
            A-2,internal,2026-01-01
            A-3,external,2026-06-15
            A-4,internal,2026-06-16
         """,
         "findings.csv": """
            id,audit,severity,status,concerns
            F-1,A-1,minor,closed,C-1
            F-2,A-2,major,open,C-1
            F-3,A-2,minor,open,C-2
            F-4,A-2,minor,closed,C-2
            F-5,A-3,minor,closed,C-2;S-1
            F-6,A-4,minor,open,C-1
            F-7,A-1,minor,open,C-3
            F-8,A-2,minor,open,C-3
            F-9,A-0,minor,closed,C-4
            F-10,A-2,minor,open,C-4
            F-11,,minor,open,C-1
            F-12,A-3,minor,open,C-1;C-2
         """},
        {"F-2", "F-5", "F-12"},
        {"F-2": "concerns C-1 again after closed F-1",
         "F-5": "concerns C-2 again after closed F-4",
         "F-12": "concerns C-1 again after closed F-1; concerns C-2 again after closed F-4"},
    ),
    GapCase(
        "soa-exclusions", "soa-exclusion-contradicted",
        {"soa.csv": """
            requirement,applicable,justification
            A.2.2,no,x
            A.2.3,no,x
            A.2.4,yes,
            A.3.2,no,x
            A.3.3,no,x
            A.4.2,no,x
         """,
         "risks.csv": """
            id,title,likelihood,impact,status
            K-H,High,4,4,open
            K-L,Low,2,2,open
            K-C,Closed,5,5,closed
            K-T,Treated,5,5,treated
            K-E,No status,4,3,
         """,
         "controls.csv": """
            id,name,status,implements,mitigates
            C-1,a,implemented,A.2.2,K-H
            C-2,b,planned,A.2.2,K-T
            C-3,c,retired,A.2.3,K-H
            C-4,d,implemented,A.2.4,K-H
            C-5,e,implemented,A.3.2,K-L;K-C
            C-6,f,implemented,A.3.3,K-E
            C-7,g,implemented,A.4.2,
         """},
        {"ISO42001:A.2.2", "ISO42001:A.3.3"},
        {"ISO42001:A.2.2": "excluded, yet implemented by controls that mitigate high risks: "
                           "C-1 (K-H); C-2 (K-T)"},
    ),
    GapCase(
        "lifecycle-controls", "high-tier-system-without-lifecycle-control",
        LIFECYCLE := {
            "ai_systems.csv": """
                id,name,lifecycle,risk_tier
                S-1,Complete,deployed,high
                S-2,Partly,deployed,unacceptable
                S-3,Limited,deployed,limited
                S-4,In development,development,high
                S-5,Nothing,deployed,high
            """,
            "controls.csv": """
                id,name,status,implements,applies_to
                C-1,a,implemented,A.6.2.4,S-1
                C-2,b,operating,A.6.2.6;A.6.2.8,S-1
                C-3,c,implemented,A.6.2.4,S-2
                C-4,d,planned,A.6.2.6,S-2
                C-5,e,implemented,A.6.2.8,S-3
            """},
        {"S-2", "S-5"},
        {"S-2": "no implemented control applied to it implements A.6.2.6, A.6.2.8",
         "S-5": "no implemented control applied to it implements A.6.2.4, A.6.2.6, A.6.2.8"},
    ),
    GapCase(
        "lifecycle-controls-configured", "high-tier-system-without-lifecycle-control",
        LIFECYCLE, {"S-5"},
        {"S-5": "no implemented control applied to it implements A.6.2.4"},
        params={"lifecycle_controls": ("ISO42001:A.6.2.4",)},
    ),
    GapCase(
        "leadership-training", "leader-training-lapsed",
        {"people.csv": """
            id,name,seniority,active,left_on
            P-1,One,executive,,
            P-2,Two,executive,,
            P-3,Three,top_management,,
            P-4,Four,executive,,
            P-5,Five,manager,,
            P-6,Six,executive,false,2026-06-15
            P-7,Seven,executive,,
         """,
         "roles.csv": """
            id,name,reports_to
            R-1,One,
            R-2,Two,
            R-3,Three,R-4
            R-4,Four,
            R-5,Five,
            R-6,Six,
         """,
         "role_assignments.csv": """
            person,role
            P-1,R-1
            P-2,R-2
            P-7,R-2
            P-5,R-3
            P-3,R-4
            P-4,R-5
            P-6,R-6
         """,
         "ai_systems.csv": "id,name,lifecycle,owner_role\nS-1,System,deployed,R-1\n",
         "controls.csv": """
            id,name,status,owner_role
            C-1,Control,implemented,R-2
            C-5,Retired,retired,R-5
            C-6,Owner gone,implemented,R-6
         """,
         "risks.csv": "id,title,status,owner_role\nK-1,Risk,open,R-3\n",
         "policies.csv": """
            id,title,status,owner_role
            POL-1,Retired,retired,R-5
            POL-2,Approved,approved,R-2
         """,
         "trainings.csv": """
            id,name,validity_months,audience
            T-L,Leading AI,12,leaders
            T-X,Staff AI,12,staff
            T-L2,Board briefing,,leaders;board
         """,
         "training_records.csv": """
            person,training,completed_on
            P-1,T-L,2025-06-15
            P-2,T-L,2025-06-14
            P-7,T-X,2026-01-01
            P-3,T-L2,2026-06-16
         """},
        {"P-2", "P-3", "P-7"},
        {"P-2": "responsible executive for controls: 1, policies: 1; leadership training last "
                "completed on 2025-06-14 is no longer valid",
         "P-3": "responsible executive for risks: 1; no leadership training completed",
         "P-7": "responsible executive for controls: 1, policies: 1; no leadership training "
                "completed"},
    ),
    GapCase(
        "no-leadership-training", "leader-training-lapsed",
        {"ai_systems.csv": "id,name,lifecycle\nS-1,System,deployed\n",
         "trainings.csv": "id,name,audience\nT-1,Staff,staff\n"},
        {"ISO42001:7.2"}, {"ISO42001:7.2": "no training has the audience 'leaders'"},
    ),
    GapCase(
        "no-leadership-training-nothing-in-scope", "leader-training-lapsed",
        {"ai_systems.csv": "id,name,lifecycle\nS-1,System,retired\n"}, set(),
    ),
    GapCase(
        "oversight", "high-tier-system-without-oversight",
        {"ai_systems.csv": """
            id,name,lifecycle,risk_tier
            S-1,Overseen,deployed,high
            S-2,Unacceptable,design,unacceptable
            S-3,Retired,retired,high
            S-4,Limited,deployed,limited
            S-5,Alone,deployed,high
         """,
         "committees.csv": "id,name,oversees\nCOM-1,Board,S-1\n"},
        {"S-2", "S-5"}, {"S-2": "risk tier unacceptable; no committee oversees it"},
    ),
    GapCase(
        "committee-chairs", "committee-without-leader-chair",
        {"people.csv": PEOPLE + "P-XL,Ex Leader,executive,false,2026-06-15\n"
                                "P-IL,Idle Leader,executive,false,\n",
         "ai_systems.csv": "id,name,lifecycle\nS-1,Live,deployed\nS-R,Old,retired\n",
         "committees.csv": """
            id,name,chair,oversees
            COM-1,Led,P-L,S-1
            COM-2,Staff chair,P-S,S-1
            COM-3,No chair,,S-1
            COM-4,Departed chair,P-XL,S-1
            COM-5,Idle chair,P-IL,S-1
            COM-6,Retired systems only,,S-R
            COM-7,Oversees nothing,P-S,
            COM-8,Two chairs,P-S,S-1
         """,
         "relationships.csv": "from,type,to\nP-L,CHAIRS,COM-8\n"},
        {"COM-2", "COM-3", "COM-4", "COM-5"},
        {"COM-2": "chaired by Sam Staff, who is not a Leader",
         "COM-3": "no chair is recorded",
         "COM-4": "chaired by Ex Leader, who left on 2026-06-15",
         "COM-5": "chaired by Idle Leader, who is not active"},
    ),
    GapCase(
        "committee-units", "committee-not-interdisciplinary",
        COMMITTEES := {
            "org_units.csv": "id,name,parent\nU-1,One,\nU-2,Two,\nU-3,Three,\nU-4,Four,U-1\n",
            "roles.csv": "id,name,unit\nR-1,One,U-1\nR-2,Two,U-2\nR-3,Three,U-3\n"
                         "R-4,Four,U-4\nR-N,No unit,\n",
            "people.csv": "id,name,left_on\nP-1,A,\nP-2,B,\nP-3,C,\nP-4,D,\n"
                          "P-5,E,2026-06-15\nP-6,F,\nP-7,G,\n",
            "role_assignments.csv": "person,role,since,until\nP-1,R-1,,\nP-2,R-2,,\n"
                                    "P-3,R-3,,\nP-4,R-4,,\nP-5,R-3,,\nP-6,R-2,,2026-06-14\n"
                                    "P-7,R-N,,\n",
            "ai_systems.csv": "id,name,lifecycle\nS-1,Live,deployed\nS-R,Old,retired\n",
            "committees.csv": """
                id,name,chair,members,oversees
                COM-A,Broad,P-1,P-2;P-3,S-1
                COM-B,Parent and child unit,P-1,P-4,S-1
                COM-C,Departed and ended,,P-2;P-5;P-6;P-7,S-1
                COM-D,Retired only,,P-2,S-R
                COM-E,Nobody,,,S-1
            """},
        {"COM-B", "COM-C", "COM-E"},
        {"COM-B": "its members and chairs present hold roles in 2 units (U-1, U-4); 3 needed",
         "COM-C": "its members and chairs present hold roles in 1 unit (U-2); 3 needed",
         "COM-E": "its members and chairs present hold roles in 0 units; 3 needed"},
    ),
    GapCase(
        "committee-units-two", "committee-not-interdisciplinary", COMMITTEES,
        {"COM-C", "COM-E"}, params={"committee_min_units": 2},
    ),
    GapCase(
        "review-overdue", "management-review-overdue",
        {"people.csv": PEOPLE,
         "audits.csv": """
            id,kind,date,lead
            MR-0,management_review,2024-01-01,P-L
            MR-1,management_review,2025-06-15,P-L
            AUD-1,internal,2026-01-01,P-L
         """},
        {"ISO42001:9.3"},
        {"ISO42001:9.3": "no management review dated after 2025-06-15 and on or before "
                         "2026-06-15; last held on 2025-06-15 (MR-1)"},
    ),
    GapCase(
        "review-never-held", "management-review-overdue", {}, {"ISO42001:9.3"},
        {"ISO42001:9.3": "no management review dated after 2025-06-15 and on or before "
                         "2026-06-15"},
    ),
    GapCase(
        "review-leads", "management-review-overdue",
        {"people.csv": PEOPLE,
         "audits.csv": """
            id,kind,date,lead
            MR-1,management_review,2025-06-16,P-S
            MR-2,management_review,2026-03-01,P-S
            MR-3,management_review,2026-03-01,
            MR-4,management_review,2026-03-01,P-L
            MR-5,management_review,2026-06-16,P-S
         """},
        {"MR-2", "MR-3"},
        {"MR-2": "latest management review, led by Sam Staff, who is not a Leader",
         "MR-3": "latest management review, led by nobody recorded"},
    ),
    GapCase(
        "policy-acknowledgements", "ai-policy-not-acknowledged",
        {"people.csv": PEOPLE,
         "roles.csv": "id,name\nR-A,Accountable\nR-C,Control owner\nR-X,Retired control\n"
                      "R-Y,Retired system\n",
         "role_assignments.csv": "person,role\nP-L,R-A\nP-S,R-C\nP-T,R-C\nP-LATER,R-A\n"
                                 "P-GONE,R-C\nP-INACT,R-C\nP-LEAVING,R-X\nP-LEAVING,R-Y\n",
         "ai_systems.csv": "id,name,lifecycle,owner_role\nS-1,Live,deployed,R-A\n"
                           "S-R,Old,retired,R-Y\n",
         "controls.csv": "id,name,status,owner_role\nC-1,Live,implemented,R-C\n"
                         "C-R,Old,retired,R-X\n",
         "policies.csv": """
            id,title,version,status,addresses
            POL-AI,AI policy,2.0,approved,5.2
            POL-OLD,Old AI policy,1.0,retired,5.2
            POL-2,Other policy,1.0,approved,A.2.2
         """,
         "acknowledgements.csv": """
            person,policy,on,version
            P-L,POL-AI,2025-01-01,1.0
            P-L,POL-AI,2026-01-01,2.0
            P-S,POL-AI,2026-01-01,1.0
            P-S,POL-OLD,2025-01-01,1.0
            P-T,POL-AI,2026-06-16,2.0
            P-T,POL-2,2026-01-01,
            P-LATER,POL-AI,2026-06-15,
         """},
        {"P-S", "P-T"},
        {"P-S": "holds R-C and has not acknowledged the AI policy (POL-AI version 2.0)"},
    ),
    GapCase(
        "no-ai-policy-to-acknowledge", "ai-policy-not-acknowledged",
        {"people.csv": PEOPLE,
         "roles.csv": "id,name\nR-A,Accountable\n",
         "role_assignments.csv": "person,role\nP-S,R-A\n",
         "ai_systems.csv": "id,name,lifecycle,owner_role\nS-1,Live,deployed,R-A\n",
         "policies.csv": "id,title,status,addresses\nPOL-AI,AI policy,draft,5.2\n"},
        set(),
    ),
    GapCase("no-objectives", "ai-objectives-missing", {}, {"ISO42001:6.2"},
            {"ISO42001:6.2": "no AI objective is set"}),
    GapCase(
        "dropped-objectives", "ai-objectives-missing",
        {"objectives.csv": "id,title,status\nO-1,One,dropped\nO-2,Two,dropped\n"},
        {"ISO42001:6.2"}, {"ISO42001:6.2": "every AI objective is dropped (O-1, O-2)"},
    ),
    GapCase(
        "one-objective-set", "ai-objectives-missing",
        {"objectives.csv": "id,title,status\nO-1,One,dropped\nO-2,Two,\n"}, set(),
    ),
    GapCase(
        "objectives-on-track", "objective-not-on-track",
        {"people.csv": PEOPLE,
         "roles.csv": "id,name\nR-H,Held\nR-V,Vacant\nR-G,Gone\n",
         "role_assignments.csv": "person,role\nP-S,R-H\nP-GONE,R-G\n",
         "objectives.csv": """
            id,title,due,status,owner_role
            O-1,Fine,2026-06-15,on_track,R-H
            O-2,No owner,,planned,
            O-3,Vacant owner,,at_risk,R-V
            O-4,No evidence,,on_track,R-H
            O-5,Late,2026-06-14,on_track,R-H
            O-6,Everything,2026-01-01,,R-G
            O-7,Achieved,2020-01-01,achieved,
            O-8,Dropped,2020-01-01,dropped,
            O-9,Expired evidence,,on_track,R-H
         """,
         "evidence.csv": """
            id,title,supports,collected_on,valid_until
            E-1,Progress,O-1;O-2;O-3;O-5,2026-01-01,
            E-9,Old progress,O-9,2025-01-01,2025-12-31
         """},
        {"O-2", "O-3", "O-4", "O-5", "O-6", "O-9"},
        {"O-2": "no owner role",
         "O-3": "owner role R-V (Vacant) has no current holder: nobody has been assigned to it",
         "O-4": "no valid evidence supports it",
         "O-5": "was due on 2026-06-14",
         "O-6": "owner role R-G (Gone) has no current holder: Gus Gone left on 2026-06-15; no "
                "valid evidence supports it; was due on 2026-01-01"},
    ),
    GapCase(
        "dataset-provenance", "dataset-without-provenance",
        {"ai_systems.csv": """
            id,name,lifecycle
            S-1,One,deployed
            S-R,Retired,retired
         """,
         "datasets.csv": """
            id,name,used_by,provenance_uri
            DS-1,No record,S-1,
            DS-2,Recorded,S-1,lineage://ds-2
            DS-3,Proved on D,S-1,
            DS-4,Proved later,S-1,
            DS-5,Retired only,S-R,
            DS-6,Unused,,
            DS-7,Proof expired,S-1,
            DS-8,Retired and live,S-R;S-1,
         """,
         "evidence.csv": """
            id,title,supports,collected_on,valid_until
            EV-1,Lineage,DS-3,2026-06-15,
            EV-2,Lineage,DS-4,2026-06-16,
            EV-3,Lineage,DS-7,2026-01-01,2026-06-14
         """},
        {"DS-1", "DS-4", "DS-7", "DS-8"},
        {"DS-1": "no provenance_uri and no evidence supports it",
         "DS-4": "no provenance_uri and no valid evidence: EV-2 was collected later, on "
                 "2026-06-16",
         "DS-7": "no provenance_uri and no valid evidence: EV-3 expired on 2026-06-14"},
    ),
    GapCase(
        "dependency-owners", "dependency-without-owner",
        {"people.csv": PEOPLE,
         "roles.csv": "id,name\nR-A,Role A\nR-B,Role B\n",
         "role_assignments.csv": "person,role,since\nP-S,R-A,2020-01-01\nP-GONE,R-B,2020-01-01\n",
         "ai_systems.csv": """
            id,name,lifecycle
            S-1,One,deployed
            S-R,Retired,retired
         """,
         "suppliers.csv": """
            id,name,owner_role,systems
            SUP-1,Owned,R-A,S-1
            SUP-2,Owner gone,R-B,S-1
            SUP-3,Through data,,
            SUP-4,Retired only,,S-R
            SUP-5,Retired data only,,
         """,
         "datasets.csv": """
            id,name,owner_role,supplier,used_by
            DS-1,Owned,R-A,SUP-3,S-1
            DS-2,Unowned,,,S-1
            DS-R,Retired only,,SUP-5,S-R
         """},
        {"SUP-2", "SUP-3", "DS-2"},
        {"SUP-2": "owner role R-B (Role B) has no current holder: Gus Gone left on 2026-06-15",
         "SUP-3": "no owner role",
         "DS-2": "no owner role"},
    ),
    GapCase(
        "dataset-quality-edges", "dataset-quality-unchecked",
        {"ai_systems.csv": """
            id,name,lifecycle,risk_tier
            S-H,High,deployed,high
            S-U,Unacceptable,development,unacceptable
            S-L,Limited,deployed,limited
            S-R,Retired high,retired,high
         """,
         "datasets.csv": """
            id,name,used_by,quality_checked_on
            DS-EDGE,On the interval's first day,S-H,2025-06-15
            DS-OLD,A day before it,S-H,2025-06-14
            DS-D,On D,S-U,2026-06-15
            DS-LATER,Checked after D,S-H,2026-06-16
            DS-NEVER,Never checked,S-U;S-L,
            DS-LIMITED,Limited only,S-L,
            DS-RETIRED,Retired only,S-R,
         """},
        {"DS-OLD", "DS-LATER", "DS-NEVER"},
        {"DS-OLD": "its quality was last checked on 2025-06-14, before 2025-06-15",
         "DS-LATER": "its quality is checked only later, on 2026-06-16",
         "DS-NEVER": "its quality was never checked"},
    ),
    GapCase(
        "dataset-quality-interval", "dataset-quality-unchecked",
        {"ai_systems.csv": "id,name,lifecycle,risk_tier\nS-H,High,deployed,high\n",
         "datasets.csv": "id,name,used_by,quality_checked_on\nDS-1,Six months,S-H,2025-12-14\n"
                         "DS-2,Within six,S-H,2025-12-15\n"},
        {"DS-1"},
        {"DS-1": "its quality was last checked on 2025-12-14, before 2025-12-15"},
        params={"data_quality_months": 6},
    ),
    GapCase(
        "supplier-assessment-edges", "supplier-assessment-overdue",
        {"ai_systems.csv": "id,name,lifecycle\nS-1,One,deployed\nS-R,Retired,retired\n",
         "suppliers.csv": """
            id,name,assessed_on,reassess_due,systems
            SUP-DUE-D,Due on D,2025-01-01,2026-06-15,S-1
            SUP-DUE-BEFORE,Due the day before,2025-01-01,2026-06-14,S-1
            SUP-NEVER,Never assessed,,,S-1
            SUP-LATER,Assessed after D,2026-06-16,,S-1
            SUP-EDGE,No due date on the interval's first day,2025-06-15,,S-1
            SUP-OLD,No due date a day before it,2025-06-14,,S-1
            SUP-RETIRED,Retired only,,,S-R
            SUP-DATA,Through data only,,,
         """,
         "datasets.csv": "id,name,supplier,used_by\nDS-1,Data,SUP-DATA,S-1\n"},
        {"SUP-DUE-BEFORE", "SUP-NEVER", "SUP-LATER", "SUP-OLD", "SUP-DATA"},
        {"SUP-DUE-BEFORE": "its reassessment was due on 2026-06-14",
         "SUP-NEVER": "it was never assessed",
         "SUP-LATER": "it is assessed only later, on 2026-06-16",
         "SUP-OLD": "it was last assessed on 2025-06-14, before 2025-06-15",
         "SUP-DATA": "it was never assessed"},
    ),
    GapCase(
        "incident-reporting-edges", "serious-incident-not-reported",
        {"ai_systems.csv": "id,name,lifecycle\nS-1,One,deployed\n",
         "incidents.csv": """
            id,title,severity,systems,occurred_on,detected_on,reported_on,report_within_days
            INC-DUE-D,Due on D,serious,S-1,,2026-05-31,,
            INC-DUE-BEFORE,Due the day before,serious,S-1,,2026-05-30,,
            INC-OCCURRED,Only an occurrence date,serious,,2026-05-30,,,
            INC-LATER,Reported after D,serious,S-1,,2026-05-01,2026-06-16,
            INC-ON-TIME,Reported on the deadline,serious,S-1,,2026-05-01,2026-05-16,
            INC-LATE,Reported a day late,serious,S-1,,2026-05-01,2026-05-17,
            INC-OWN-DAYS,Its own deadline,serious,S-1,,2026-06-10,,2
            INC-NO-DATES,Neither date,serious,S-1,,,,
            INC-NO-DATES-REPORTED,Neither date but reported,serious,S-1,,,2026-06-01,
            INC-FUTURE,Detected after D,serious,S-1,2026-01-01,2026-06-16,,
            INC-MAJOR,Major,major,S-1,,2026-01-01,,
         """},
        {"INC-DUE-BEFORE", "INC-OCCURRED", "INC-LATER", "INC-LATE", "INC-OWN-DAYS",
         "INC-NO-DATES"},
        {"INC-DUE-BEFORE": "its report was due on 2026-06-14 and is not made",
         "INC-OCCURRED": "its report was due on 2026-06-14 and is not made",
         "INC-LATER": "its report was due on 2026-05-16 and is not made; it is reported only "
                      "later, on 2026-06-16",
         "INC-LATE": "it was reported on 2026-05-17, 1 day late (due on 2026-05-16)",
         "INC-OWN-DAYS": "its report was due on 2026-06-12 and is not made",
         "INC-NO-DATES": "it has no occurrence or detection date and is not reported"},
    ),
    GapCase(
        "incident-reporting-days", "serious-incident-not-reported",
        {"incidents.csv": """
            id,title,severity,detected_on,reported_on
            INC-A,Due on D with 45 days,serious,2026-05-01,
            INC-B,Reported 3 days late,serious,2026-04-01,2026-05-19
         """},
        {"INC-B"},
        {"INC-B": "it was reported on 2026-05-19, 3 days late (due on 2026-05-16)"},
        params={"incident_report_days": 45},
    ),
    GapCase(
        "incident-action-edges", "incident-without-corrective-action",
        {"ai_systems.csv": "id,name,lifecycle\nS-1,One,deployed\n",
         "people.csv": PEOPLE,
         "incidents.csv": """
            id,title,severity,systems,occurred_on,detected_on
            INC-EDGE,Detected on D less the days,serious,S-1,2026-05-10,2026-05-16
            INC-NEW,Detected a day after that,serious,S-1,,2026-05-17
            INC-OCC,Only an occurrence date,major,S-1,2026-05-01,
            INC-ASSIGNED,Acted on,serious,S-1,,2026-01-01
            INC-UNASSIGNED,A finding nobody holds,serious,S-1,,2026-01-01
            INC-MINOR,Minor,minor,S-1,,2026-01-01
            INC-NO-DATES,Neither date,serious,S-1,,
         """,
         "findings.csv": """
            id,severity,status,concerns,assigned_to
            F-1,major,closed,INC-ASSIGNED,P-S
            F-2,major,open,INC-UNASSIGNED,
         """},
        {"INC-EDGE", "INC-OCC", "INC-UNASSIGNED"},
        {"INC-EDGE": "it was detected on 2026-05-16 and no finding with an assignee concerns "
                     "it",
         "INC-OCC": "it occurred on 2026-05-01 and no finding with an assignee concerns it",
         "INC-UNASSIGNED": "it was detected on 2026-01-01 and no finding with an assignee "
                           "concerns it (1 unassigned)"},
    ),
    GapCase(
        "incident-risk-edges", "incident-risk-not-registered",
        {"ai_systems.csv": "id,name,lifecycle\nS-1,One,deployed\nS-R,Retired,retired\n",
         "risks.csv": "id,title,systems,likelihood,impact,status\nRK-1,Risk,S-1,2,2,open\n",
         "incidents.csv": """
            id,title,severity,systems,detected_on,realises
            INC-FORESEEN,Realises a risk,serious,S-1,2026-06-01,RK-1
            INC-ON-D,Detected on D,major,S-1;S-R,2026-06-15,
            INC-FUTURE,Detected after D,serious,S-1,2026-06-16,
            INC-NO-DATES,Neither date,serious,,,
            INC-MINOR,Minor,minor,S-1,2026-06-01,
         """},
        {"INC-ON-D", "INC-NO-DATES"},
        {"INC-ON-D": "it realises no registered risk"},
    ),
    GapCase(
        "eu-obligation-edges", "eu-ai-act-obligation-unmet",
        {"ai_systems.csv": """
            id,name,lifecycle,risk_tier,eu_ai_act_role
            S-OK,Met through its own control,deployed,limited,deployer
            S-OTHER,The control applies to another system,deployed,limited,Provider
            S-NONE,Limited with no role,deployed,limited,
            S-MIN,Minimal,deployed,minimal,provider
            S-BAN,Prohibited,deployed,unacceptable,provider
            S-HIGH,High with no role,development,high,
            S-RET,Retired,retired,unacceptable,
            S-PROV,High provider and deployer,deployed,high,provider;deployer
         """,
         "mappings.csv": "subject_id,predicate_id,object_id\n"
                         "EU_AI_ACT:Art.50,skos:exactMatch,ISO42001:A.8.5\n",
         "controls.csv": "id,name,status,implements,applies_to\nC-1,Notice,implemented,A.8.5,"
                         "S-OK\n",
         "evidence.csv": "id,title,supports,collected_on\nE-1,Notice text,Control:C-1,"
                         "2026-01-01\n"},
        {"S-OTHER", "S-BAN", "S-HIGH", "S-PROV"},
        {"S-OTHER": "EU AI Act obligations not met: Art.50",
         "S-BAN": "its risk tier is unacceptable: a prohibited practice (Art. 5)",
         "S-HIGH": "it is high-tier and no EU AI Act role is recorded for it",
         "S-PROV": "EU AI Act obligations not met: Art.9, Art.10, Art.11, Art.12, Art.13, "
                   "Art.14, Art.15, Art.17, Art.26, Art.27, Art.72, Art.73"},
    ),
    GapCase(
        "eu-obligation-control-for-no-system", "eu-ai-act-obligation-unmet",
        {"ai_systems.csv": "id,name,risk_tier,eu_ai_act_role\nS-A,A,limited,deployer\n"
                           "S-B,B,limited,provider\n",
         "mappings.csv": "subject_id,predicate_id,object_id\n"
                         "ISO42001:A.8.5,skos:closeMatch,EU_AI_ACT:Art.50\n",
         "soa.csv": "requirement,applicable,justification\nA.8.5,no,excluded\n",
         "controls.csv": "id,name,status,implements\nC-1,Notice,operating,A.8.5\n",
         "evidence.csv": "id,title,supports,collected_on,valid_until\n"
                         "E-1,Notice,Control:C-1,2026-01-01,2026-06-15\n"},
        set(),
    ),
    GapCase(
        "eu-obligation-partial-related-parent", "eu-ai-act-obligation-unmet",
        {"ai_systems.csv": "id,name,risk_tier,eu_ai_act_role\nS-1,One,limited,deployer\n",
         "mappings.csv": """
            subject_id,predicate_id,object_id
            ISO42001:A.8.5,skos:broadMatch,EU_AI_ACT:Art.50
            ISO42001:A.8,skos:exactMatch,EU_AI_ACT:Art.50
            ISO42001:A.8.5,skos:relatedMatch,EU_AI_ACT:Art.50
         """,
         "controls.csv": "id,name,status,implements\nC-1,Notice,implemented,A.8.5\n",
         "evidence.csv": "id,title,supports,collected_on\nE-1,Notice,Control:C-1,2026-01-01\n"},
        {"S-1"},
        {"S-1": "EU AI Act obligations not met: Art.50"},
    ),
    GapCase(
        "eu-obligation-evidence-and-status", "eu-ai-act-obligation-unmet",
        {"ai_systems.csv": "id,name,risk_tier,eu_ai_act_role\nS-1,One,limited,deployer\n"
                           "S-2,Two,limited,deployer\nS-3,Three,limited,deployer\n",
         "mappings.csv": "subject_id,predicate_id,object_id\n"
                         "ISO42001:A.8.5,skos:exactMatch,EU_AI_ACT:Art.50\n",
         "controls.csv": """
            id,name,status,implements,applies_to
            C-1,Valid on its last day,implemented,A.8.5,S-1
            C-2,Expired the day before,implemented,A.8.5,S-2
            C-3,Planned,planned,A.8.5,S-3
         """,
         "evidence.csv": """
            id,title,supports,collected_on,valid_until
            E-1,One,Control:C-1,2026-01-01,2026-06-15
            E-2,Two,Control:C-2,2026-01-01,2026-06-14
            E-3,Three,Control:C-3,2026-01-01,
         """},
        {"S-2", "S-3"},
    ),
]
