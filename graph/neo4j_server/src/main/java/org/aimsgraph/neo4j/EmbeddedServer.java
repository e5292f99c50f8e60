package org.aimsgraph.neo4j;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;

/**
 * Neo4j community, embedded, with the Bolt connector listening on a loopback port.
 *
 * <p>Usage: {@code EmbeddedServer --port N --data-dir DIR [--password P] [--page-cache SIZE]}.
 * Prints {@code READY bolt://127.0.0.1:N} once the default database is available, and shuts
 * the database down cleanly on SIGTERM or Ctrl-C (a JVM shutdown hook).
 */
public final class EmbeddedServer {
    private EmbeddedServer() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        int port = Integer.parseInt(require(options, "--port"));
        Path dataDir = Path.of(require(options, "--data-dir")).toAbsolutePath();
        String password = options.get("--password");
        String pageCache = options.getOrDefault("--page-cache", "256m");

        DatabaseManagementService service = new DatabaseManagementServiceBuilder(dataDir)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                .setConfig(GraphDatabaseSettings.auth_enabled, password != null)
                .setConfig(GraphDatabaseSettings.pagecache_memory, parseBytes(pageCache))
                .setConfig(GraphDatabaseSettings.shutdown_transaction_end_timeout,
                        Duration.ofSeconds(2))
                // A local server: no need for Netty's default graceful quiet period on stop.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout,
                        Duration.ofSeconds(2))
                .build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("STOPPING");
            System.out.flush();
            long started = System.nanoTime();
            service.shutdown();
            System.out.println("STOPPED in " + (System.nanoTime() - started) / 1_000_000 + " ms");
            System.out.flush();
            stopped.countDown();
        }, "aimsgraph-neo4j-shutdown"));

        GraphDatabaseService db = service.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        if (!db.isAvailable(Duration.ofMinutes(2).toMillis())) {
            System.err.println("the default database did not become available");
            System.exit(2);
        }
        if (password != null) {
            service.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
                    Map.of("password", password));
        }
        System.out.println("READY bolt://127.0.0.1:" + port);
        System.out.flush();
        stopped.await();
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        return options;
    }

    private static String require(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            System.err.println("missing " + name);
            System.exit(64);
        }
        return value;
    }

    private static long parseBytes(String size) {
        String lower = size.trim().toLowerCase();
        long unit = 1;
        if (lower.endsWith("g")) {
            unit = 1L << 30;
        } else if (lower.endsWith("m")) {
            unit = 1L << 20;
        } else if (lower.endsWith("k")) {
            unit = 1L << 10;
        }
        String digits = unit == 1 ? lower : lower.substring(0, lower.length() - 1);
        return Long.parseLong(digits) * unit;
    }
}
