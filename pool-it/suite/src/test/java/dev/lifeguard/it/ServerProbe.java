package dev.lifeguard.it;

import dev.lifeguard.testkit.EchoServer;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What the suites know about the server under test, from the system properties its module sets: the HTTP base,
 * the server's own remote JMX URL (and credentials, if any), the RAR to deploy, the backend port.
 */
public final class ServerProbe {
    public static final String HTTP = System.getProperty("lifeguard.http", "http://127.0.0.1:8080");
    public static final int ECHO_PORT = Integer.getInteger("lifeguard.echo.port", 17077);
    /** The deploy scripts and CLI files the README gives operators (docs/deploy). */
    public static final Path DOCS = Path.of(System.getProperty("lifeguard.docs", "../../docs/deploy"));
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private ServerProbe() {
    }

    /** @return the built lifeguard.rar, as its module copied it into target/ */
    public static ResourceAdapterArchive lifeguardRar() {
        return ShrinkWrap.createFromZipFile(ResourceAdapterArchive.class,
                new File(System.getProperty("lifeguard.rar", "target/lifeguard.rar")));
    }

    public static JMXConnector connectJmx() throws Exception {
        Map<String, Object> env = new HashMap<>();
        String user = System.getProperty("lifeguard.jmx.user");
        if (user != null && !user.isEmpty()) {
            env.put(JMXConnector.CREDENTIALS, new String[] {user, System.getProperty("lifeguard.jmx.password", "")});
        }
        return JMXConnectorFactory.connect(new JMXServiceURL(System.getProperty("lifeguard.jmx.url")), env);
    }

    public static String get(String path) throws Exception {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(HTTP + path))
                .timeout(Duration.ofMinutes(2)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            fail("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /**
     * Runs a script from docs/deploy against the server under test, pointed at the test backend instead of the
     * Redis the docs show: {@code redis} becomes {@code cli-echo}, port 6379 the echo port, and the expected
     * {@code +PONG} reply {@code PING} (the echo backend answers PING with PING).
     *
     * @param command makes the command line from the path of the adapted copy of the script
     */
    public static void runDocsScript(Path script, Function<Path, List<String>> command, Map<String, String> env)
            throws Exception {
        String text = Files.readString(script, StandardCharsets.UTF_8)
                .replace("redis", "cli-echo")
                .replace("6379", String.valueOf(ECHO_PORT))
                .replace("+PONG", "PING");
        Path copy = Files.createTempFile("lifeguard-docs", script.getFileName().toString());
        Files.writeString(copy, text);
        ProcessBuilder pb = new ProcessBuilder(command.apply(copy)).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(3, TimeUnit.MINUTES), script + " did not finish");
        assertEquals(0, p.exitValue(), script + " failed:\n" + out);
        Files.delete(copy);
    }

    /** No Lifeguard MBean, no server thread running Lifeguard code, no socket open at the backend. */
    public static void assertNothingLeftBehind(EchoServer echo) throws Exception {
        try (JMXConnector jmx = connectJmx()) {
            MBeanServerConnection conn = jmx.getMBeanServerConnection();
            awaitTrue(() -> lifeguardMBeans(conn).isEmpty(), "no dev.lifeguard MBean left");
            ThreadMXBean threads = ManagementFactory.newPlatformMXBeanProxy(conn,
                    ManagementFactory.THREAD_MXBEAN_NAME, ThreadMXBean.class);
            awaitTrue(() -> lifeguardThreads(threads).isEmpty(), "no server thread running Lifeguard code");
        }
        awaitTrue(() -> echo.openConnections() == 0, "every pooled socket closed");
    }

    public static Set<ObjectName> lifeguardMBeans(MBeanServerConnection conn) {
        try {
            return conn.queryNames(new ObjectName("dev.lifeguard:*"), null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Threads whose stack has a Lifeguard frame: a reaper or any other loop of ours still running. */
    public static List<String> lifeguardThreads(ThreadMXBean threads) {
        List<String> found = new ArrayList<>();
        for (ThreadInfo t : threads.dumpAllThreads(false, false)) {
            if (t == null) {
                continue;
            }
            for (StackTraceElement f : t.getStackTrace()) {
                if (f.getClassName().startsWith("dev.lifeguard.")) {
                    found.add(t.getThreadName() + " at " + f);
                    break;
                }
            }
        }
        return found;
    }

    /**
     * The class loaders that still hold Lifeguard classes after a full collection, each with how many. A
     * deployment whose loader stays reachable (through a leaked thread, timer, MBean or registry entry of its own,
     * or one it handed the server) keeps every one of its classes. The class histogram's heap inspection is a
     * full, class-unloading collection even where the server disables {@code System.gc()}.
     */
    public static Map<String, Integer> loadersHoldingLifeguardClasses(MBeanServerConnection conn) throws Exception {
        ObjectName dcmd = new ObjectName("com.sun.management:type=DiagnosticCommand");
        String[] signature = {String[].class.getName()};
        conn.invoke(dcmd, "gcClassHistogram", new Object[] {new String[0]}, signature);
        String hierarchy = (String) conn.invoke(dcmd, "vmClassHierarchy", new Object[] {new String[0]}, signature);
        Map<String, Integer> classesByLoader = new TreeMap<>();
        for (String line : hierarchy.split("\n")) {
            if (line.contains("dev.lifeguard.")) {
                // "|  |--dev.lifeguard.jca.PoolEntry/0x00007f9d08bf1080 (intf)": the loader's address ends the name
                String name = line.replace(" (intf)", "").strip();
                classesByLoader.merge(name.substring(name.lastIndexOf('/') + 1), 1, Integer::sum);
            }
        }
        return classesByLoader;
    }

    public static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after 30 s waiting for: " + what);
            }
            Thread.sleep(50); // polling a remote server: a pause between looks, bounded by the deadline
        }
    }
}
