package dev.lifeguard.it.app;

import dev.lifeguard.Lease;
import dev.lifeguard.PoolStats;
import dev.lifeguard.tcp.TcpPool;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.resource.AdministeredObjectDefinition;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.ObjectName;

/**
 * The test application: uses a Lifeguard pool injected with {@code @Resource} and reports over HTTP, so the suite
 * (outside the server) can drive it and check what it saw. The pool is defined with the portable annotation, which
 * runs unchanged on WildFly and Payara inside an EAR.
 */
@AdministeredObjectDefinition(
        name = "java:app/lifeguard/echo",
        resourceAdapter = "#lifeguard",
        className = "dev.lifeguard.jca.TcpPoolAdminObject",
        interfaceName = "dev.lifeguard.tcp.TcpPool",
        properties = {"poolName=it-echo", "host=127.0.0.1", "port=17077", "maxSize=10",
                "maintenanceIntervalMillis=200", "readTimeoutMillis=10000", "acquireTimeoutMillis=20000"})
@WebServlet("/probe/*")
public class ProbeServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Resource(lookup = "java:app/lifeguard/echo")
    private TcpPool pool;

    @Resource
    private ManagedExecutorService executor;

    /** Which request holds each connection now: a second holder is a broken promise. */
    private static final Map<Socket, Long> HOLDERS = new ConcurrentHashMap<>();
    private static final AtomicInteger HELD = new AtomicInteger();
    private static final AtomicInteger PEAK_HELD = new AtomicInteger();
    private static final AtomicInteger VIOLATIONS = new AtomicInteger();
    private static final AtomicInteger REQUEST_IDS = new AtomicInteger();

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String op = req.getPathInfo() == null ? "" : req.getPathInfo().substring(1);
        String body;
        try {
            body = switch (op) {
                case "echo" -> echo(req.getParameter("msg"));
                case "stress" -> stress(Integer.parseInt(req.getParameter("tasks")),
                        Integer.parseInt(req.getParameter("ops")));
                case "stats" -> stats();
                case "mbeans" -> ManagementFactory.getPlatformMBeanServer()
                        .queryNames(new ObjectName("dev.lifeguard:*"), null).toString();
                default -> "unknown op " + op;
            };
        } catch (Exception e) {
            resp.setStatus(500);
            body = "ERROR " + e;
        }
        resp.setContentType("text/plain");
        resp.getWriter().write(body);
    }

    private String echo(String msg) throws IOException {
        long id = REQUEST_IDS.incrementAndGet();
        try (Lease<Socket> lease = pool.acquire()) {
            Socket s = lease.connection();
            if (HOLDERS.putIfAbsent(s, id) != null) {
                VIOLATIONS.incrementAndGet();
            }
            int now = HELD.incrementAndGet();
            PEAK_HELD.accumulateAndGet(now, Math::max);
            try {
                return EchoRoundTrip.roundTrip(s, msg);
            } finally {
                HELD.decrementAndGet();
                if (!HOLDERS.remove(s, id)) {
                    VIOLATIONS.incrementAndGet();
                }
            }
        }
    }

    /** {@code tasks} concurrent tasks on the server's managed threads, each doing {@code ops} echoes. */
    private String stress(int tasks, int ops) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> futures = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            int task = t;
            futures.add(executor.submit(() -> {
                start.await();
                int ok = 0;
                for (int i = 0; i < ops; i++) {
                    if (echo("task " + task + " op " + i).startsWith("task")) {
                        ok++;
                    }
                }
                return ok;
            }));
        }
        start.countDown();
        int ok = 0;
        for (Future<Integer> f : futures) {
            ok += f.get(5, TimeUnit.MINUTES);
        }
        return "ops=" + ok + ";" + stats();
    }

    private String stats() {
        PoolStats s = pool.stats();
        return "name=" + pool.name() + ";created=" + s.created() + ";maxActiveEver=" + s.maxActiveEver()
                + ";active=" + s.counts().active() + ";total=" + s.counts().total() + ";maxSize="
                + s.counts().maxSize() + ";acquired=" + s.acquired() + ";returned=" + s.returned()
                + ";peakHeld=" + PEAK_HELD.get() + ";violations=" + VIOLATIONS.get();
    }
}
