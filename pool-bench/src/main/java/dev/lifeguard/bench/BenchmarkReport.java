package dev.lifeguard.bench;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.ListStatistics;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Runs every benchmark case, all pools side by side in one run, and writes {@code docs/benchmarks.md}: the
 * results with their error bars, the Lifeguard/peer ratios per case, the targets met or missed, the machine and the
 * commands. Usage: {@code java -jar pool-bench/target/benchmarks.jar [output.md] [--quick]}.
 */
public final class BenchmarkReport {
    private static final int[] THREADS = {1, 2, 8, 100};
    private static final int TCP_ROUNDS = 2;
    private static final int WALL_ROUNDS = 2;
    /** The comparisons read from {@link TcpBenchmark#interleaved}. */
    private static final String POOLED_VS_IDEAL = "Lifeguard pooled, of a dedicated connection (the ideal)";
    private static final String POOLED_VS_CHANNEL = "Lifeguard pooled, of a dedicated connection of the socket type "
            + "its factory makes";
    private static final String CHANNEL_VS_IDEAL = "that socket type, of a dedicated connection";

    private final boolean quick;
    private final StringBuilder md = new StringBuilder();
    private final List<String> failures = new ArrayList<>();

    /** What the figures above reflect, beyond the pool's own speed: fixed text, true of every run. */
    private static final String TRADE_OFFS = """

            ## Where Lifeguard spends its nanoseconds, and why

            - **Time without a clock reading per checkout.** Every checkout knows how long its connection was idle,
              so that one idle past `validationThreshold` is pinged and one past its lifetime retired before anyone
              gets it. A `System.nanoTime` reading costs about 30 ns on this VM, which was over half of Lifeguard's
              single-thread cycle. Now a thread of the pool's own reads the clock every `clockTick` (10 ms) and a
              thread taking back its own connection reads that tick instead: the tick dates the lease (never later
              than the truth) and the tick plus two ticks is what idle age and lifetime are judged against (never
              earlier than the truth while the ticker keeps time), so connections are validated or retired early,
              never late. The shared path, and leases due a lease-time sample, still read the clock. Returns take no
              reading of their own. stormpot reads the clock once per claim (its expiration check), HikariCP at
              least twice, vibur not at all. `clockTick(Duration.ZERO)` restores a reading per checkout.
            - **The common lease compiled into the caller.** A thread taking back its own connection with nothing
              to decide (open, nobody's wait stalled, not due a validation, a retirement or a sample) and giving it
              back the same way runs in code the JIT inlines into the caller's method; everything else goes to
              out-of-line methods. As two calls, that cycle was half of the single-thread time (31-33M/s, then
              42-43M). `acquire` must stay under C2's `InlineSmallCode` (2,500 bytes of machine code) for that and
              for the JIT to drop the lease handle: it compiles to 1.6-1.7 KB, also with the profile the whole test
              suite leaves, and `AllocationTest` fails if a change pushes it over.
            - **A thread's own connection found in one load.** The pool keeps, per thread id (a table of 1,024
              entries), the connection that thread last gave back. Through a `ThreadLocal` (a lookup in the
              thread's map, then a weak reference, so that a thread outliving the pool kept nothing of it) the
              single-thread cycle ran at about 40M/s; through the table, at about 54M/s in the same A/B runs.
            - **Bookkeeping per lease**: one CAS to take the connection and one to give it back, each on the
              connection's own word (state and lease stamp together, so that a stale handle can never end a later
              lease); no shared counter (each connection counts its own leases); a lease-time sample at most once
              every 10 ms per connection. stormpot takes with one CAS and gives back with a plain store; a plain
              store here could let a late second close, or a drain deadline, hand a connection to two callers. That
              CAS and the checks around the two (retirement, validation due, waiters, leak detection) are what
              Lifeguard does that stormpot does not.
            - **Each connection's fields on cache lines of their own.** A slot is padded 64 bytes on both sides,
              and the 4 bytes after its object header are filled, so that what its holder writes on every lease
              never shares a line with a neighbour. Without that, the JVM had put a flag written on every checkout
              next to the previous object's tail (often another connection's slot), and one JVM in three to eight
              ran 2 threads at 20-27M/s where the others ran at 55-70M. The 1, 2 and 8 thread cases still run three
              JVMs each, so that a JVM's layout or compilation shows in the error bars.
            - **Nobody starves.** Waiters are served in arrival order. Newcomers at the gate go ahead of waiters only
              while the queue keeps moving (a waiter served at least every millisecond), and the thread-affine path (a
              thread takes back the connection it last returned, one CAS on that connection's own state) only while
              waiters in the store are served every millisecond and those at the gate every 5 ms; when they stall,
              newcomers queue behind them, and callers give their connections up to them, one a millisecond while they
              stay stalled (each then queues behind them, even once they move; when every caller that looked gave its
              connection up until a woken waiter got a core, most running callers parked at once and the cores idled
              0.8-1.2% of the time, now 0.25-0.37%). The gate gets longer because stopping the affine path stops every
              running caller: a woken waiter waits a time slice or more for a core on a busy machine, and at 1 ms
              every runner queued behind a queue that was only waiting for cores (the cores idled about 14% of the
              time; with work, 2.6-3.1M/s, now 3.7M). The thread-affine path does not read the clock to know: a
              connection looks after 10 ms of the clock tick it already reads, or on its peak sample (1 lease in
              1,024, for a ticker starved of a core); reading the clock on every lease while anyone waited held 100
              threads at 21-24M/s, and looking on 1 lease in 16, or 256, sent 6%, or 0.4%, of the leases the long way.
              So the longest wait is bounded by the queue's length times those windows and the time its threads wait
              for a core (a few hundred ms with 100 tasks on 10 connections on 2 cores); pools that let callers
              overtake without limit show longest waits several times that in the wait-time table, and stormpot has
              left a caller waiting past 30 s in the case with work. The price: the acquires that do queue wait up to
              that bound, so Lifeguard's p99.9 wait can sit far above the pools whose few long waits fall beyond it.
            - **Waiting costs the runners little.** A thread giving back the connection it took by affinity
              returns it with one CAS even while others wait in the store, and wakes a waiter only if no wake-up
              is already on its way to one (it most likely takes the connection straight back, and one waiter
              looking is enough). When every return went through the store's lock to signal while anyone waited,
              with work at 100 threads about 70,000 returns a second did: 4.12-4.20M/s, some runs collapsing to
              2.6-3.5M, where now 4.14-4.30M (wall clock, alternating runs).
            - **Counters and percentiles on every lease**: acquired, returned, active, peak (sampled on the
              thread-affine path), wait time (zero-wait checkouts are counted, not recorded), lease time (sampled),
              all readable over JMX at any time.
            """;

    private BenchmarkReport(boolean quick) {
        this.quick = quick;
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of("docs/benchmarks.md");
        boolean quick = false;
        for (String a : args) {
            if (a.equals("--quick")) {
                quick = true;
            } else if (a.endsWith(".md")) {
                out = Path.of(a);
            } else {
                System.err.println("usage: java -jar benchmarks.jar [output.md] [--quick]\n"
                        + "one case: java -cp benchmarks.jar org.openjdk.jmh.Main <regex> [JMH options]; "
                        + "unknown argument: " + a);
                System.exit(2);
            }
        }
        long t0 = System.nanoTime();
        BenchmarkReport r = new BenchmarkReport(quick);
        r.run();
        r.md.append(String.format(Locale.ROOT, "%nWhole run: %.1f minutes.%n", (System.nanoTime() - t0) / 6e10));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, r.md.toString());
        System.out.println("wrote " + out.toAbsolutePath());
    }

    private ChainedOptionsBuilder jmh() {
        return new OptionsBuilder()
                .forks(1)
                .warmupIterations(quick ? 1 : 3).warmupTime(TimeValue.seconds(1))
                .measurementIterations(quick ? 2 : 5).measurementTime(TimeValue.seconds(1))
                .jvmArgsAppend("-Xms1g", "-Xmx1g")
                // A peer that fails a case (stormpot starving a caller past 30 s, say) is reported, not fatal.
                .shouldFailOnError(false);
    }

    /** The cycle at up to 8 threads: three JVMs, since one JVM's layout and compilation can differ from the next. */
    private ChainedOptionsBuilder cycleAcrossJvms() {
        return jmh().forks(quick ? 1 : 3).warmupIterations(quick ? 1 : 2).measurementIterations(quick ? 2 : 3);
    }

    private void run() throws Exception {
        header();
        Map<Integer, Map<PoolKind, Result<?>>> cycle = new LinkedHashMap<>();
        for (int t : THREADS) {
            ChainedOptionsBuilder options = t <= 8 ? cycleAcrossJvms() : jmh();
            cycle.put(t, byPool(new Runner(options.include(CycleBenchmark.class.getName() + ".cycle$").threads(t)
                    .build()).run()));
        }
        Map<PoolKind, Result<?>> hold = byPool(new Runner(jmh()
                .include(CycleBenchmark.class.getName() + ".cycleWithWork$").threads(100).build()).run());
        Options gc = jmh().include(CycleBenchmark.class.getName() + ".cycle$").threads(1)
                .addProfiler(GCProfiler.class).build();
        Collection<RunResult> gcRuns = new Runner(gc).run();
        Map<String, List<Double>> tcp = tcpRounds();
        Map<String, ListStatistics> tcpPerRequest = tcpInterleaved();
        Map<PoolKind, WallClockMain.Result> wallCycle = wallClock(0);
        Map<PoolKind, WallClockMain.Result> wallHold = wallClock(CycleBenchmark.WORK_TOKENS);
        Map<PoolKind, List<WaitTimes.Result>> waits = waitTimes();
        String vt = virtualThreads();

        throughput(cycle, hold, wallCycle, wallHold);
        allocation(gcRuns);
        waitTable(waits);
        md.append(vt);
        tcpTable(tcp, tcpPerRequest);
        md.append(TRADE_OFFS);
        md.append("\n## Failures during the run\n\n");
        List<String> all = new ArrayList<>(failures);
        for (Map.Entry<Integer, Map<PoolKind, Result<?>>> e : cycle.entrySet()) {
            missing(all, e.getValue(), "acquire+release at " + e.getKey() + " threads");
        }
        missing(all, hold, "acquire+release with work at 100 threads");
        md.append(all.isEmpty() ? "None.\n" : "- " + String.join("\n- ", all) + "\n");
    }

    private static void missing(List<String> out, Map<PoolKind, Result<?>> results, String label) {
        for (PoolKind k : PoolKind.values()) {
            if (!results.containsKey(k)) {
                out.add(k.label() + " failed " + label + " (for stormpot: a claim that waited past its 30 s timeout "
                        + "while other threads kept re-claiming: its thread-local fast path lets callers starve)");
            }
        }
    }

    private void header() {
        md.append("# Benchmarks\n\n");
        md.append("Lifeguard side by side with HikariCP 7.1.0 (through a stub DataSource whose connections do "
                + "nothing, as HikariCP's own benchmark does), Apache Commons Pool2 2.13.1, stormpot 3.2 and vibur "
                + "object pool 26.0, in one run, on the same work. Each pool holds 10 objects made up front. "
                + "Written by `pool-bench` (`dev.lifeguard.bench.BenchmarkReport`) on ").append(LocalDate.now())
                .append(quick ? " (quick mode: fewer iterations, wider error bars)" : "").append(".\n\n");
        md.append("## Machine and commands\n\n");
        md.append("- CPU: ").append(cpuModel()).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores; memory ")
                .append(((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                        .getTotalMemorySize() >> 30).append(" GiB\n");
        md.append("- JVM: ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append(", JMH 1.37, `-Xms1g -Xmx1g`, 1 fork, ")
                .append(quick ? "1" : "3").append(" x 1 s warm-up, ").append(quick ? "2" : "5")
                .append(" x 1 s measurement; the cycle at 1, 2 and 8 threads: ").append(quick ? "1 fork" : "3 forks")
                .append(", ").append(quick ? "1" : "2").append(" x 1 s warm-up, ").append(quick ? "2" : "3")
                .append(" x 1 s measurement each\n");
        md.append("- Commands: `pool-bench/run-benchmarks.sh` (builds `pool-bench/target/benchmarks.jar`, then "
                + "`java -jar pool-bench/target/benchmarks.jar docs/benchmarks.md`). One case alone: "
                + "`java -jar pool-bench/target/benchmarks.jar` is also a JMH main, e.g. "
                + "`java -cp pool-bench/target/benchmarks.jar org.openjdk.jmh.Main 'CycleBenchmark.cycle$' -t 8`.\n");
        md.append("- Error bars: JMH's 99.9% confidence interval of the score. With 2 cores, runs at 8 and 100 "
                + "threads are mostly about hand-over cost and scheduling, and vary more.\n\n");
    }

    /**
     * Each pool in its own JVM at 100 threads (see {@link WallClockMain}), in {@link #WALL_ROUNDS} rounds, the pools
     * taking turns, added up per pool: one 4-second run per pool left the verdict to the machine's drift (vibur's
     * rate with work read 2.6M to 3.9M across four full runs).
     */
    private Map<PoolKind, WallClockMain.Result> wallClock(long tokens) throws Exception {
        Map<PoolKind, WallClockMain.Result> out = new EnumMap<>(PoolKind.class);
        for (int round = 0; round < (quick ? 1 : WALL_ROUNDS); round++) {
            wallClockRound(tokens).forEach((k, r) -> out.merge(k, r, WallClockMain.Result::plus));
        }
        return out;
    }

    private Map<PoolKind, WallClockMain.Result> wallClockRound(long tokens) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String jar = Path.of(BenchmarkReport.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        Map<PoolKind, WallClockMain.Result> out = new EnumMap<>(PoolKind.class);
        for (PoolKind k : PoolKind.values()) {
            Process p = new ProcessBuilder(java, "-Xms1g", "-Xmx1g", "-cp", jar, WallClockMain.class.getName(),
                    k.name(), "100", quick ? "2" : "4", Long.toString(tokens)).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(5, TimeUnit.MINUTES);
            output.lines().filter(l -> l.startsWith("RESULT ")).findFirst()
                    .ifPresentOrElse(l -> out.put(k, WallClockMain.Result.parse(l)), () -> failures.add(k.label()
                            + " failed the wall-clock run at 100 threads (" + tokens + " work tokens): "
                            + output.lines().filter(l -> l.contains("Exception")).findFirst().orElse("no result")));
        }
        return out;
    }

    private void throughput(Map<Integer, Map<PoolKind, Result<?>>> cycle, Map<PoolKind, Result<?>> hold,
            Map<PoolKind, WallClockMain.Result> wallCycle, Map<PoolKind, WallClockMain.Result> wallHold) {
        md.append("## Acquire + release throughput, pool of 10 (ops/s, higher is better)\n\n");
        md.append("| case |");
        for (PoolKind k : PoolKind.values()) {
            md.append(' ').append(k.label()).append(" |");
        }
        md.append(" Lifeguard / best peer | Lifeguard / Commons Pool2 |\n|---|");
        md.append("---|".repeat(PoolKind.values().length + 2)).append('\n');
        List<String> misses = new ArrayList<>();
        for (Map.Entry<Integer, Map<PoolKind, Result<?>>> e : cycle.entrySet()) {
            // At 100 threads the verdict comes from the wall-clock table below (see there why).
            row(e.getKey() + " thread" + (e.getKey() == 1 ? "" : "s"), e.getValue(),
                    e.getKey() < 100 ? misses : new ArrayList<>());
        }
        row("100 threads, holding for ~1 µs of work", hold, new ArrayList<>());
        md.append("\n### The 100-thread cases by wall clock\n\n");
        md.append("JMH adds up each thread's own rate (its operations over its own measured interval). With 100 "
                + "threads on 2 cores the threads run in turns, and that sum can exceed what 2 cores can do at all "
                + "(about twice a pool's 1-thread rate above). This table runs the same loops (each pool in its "
                + "own JVM, 1 s warm-up, then "
                + (quick ? "2" : "4") + " s; " + (quick ? "1 round" : WALL_ROUNDS + " rounds, the pools taking turns, "
                + "added up") + ") and divides all operations by wall-clock time. The least-served "
                + "thread shows starvation, which a total hides. The verdict for 100 threads is taken from here.\n\n"
                + "| pool | ops/s, no work | least / most served thread (ops) | ops/s, ~1 µs of work "
                + "| least / most served thread (ops) |\n|---|---|---|---|---|\n");
        for (PoolKind k : PoolKind.values()) {
            md.append("| ").append(k.label()).append(" | ").append(wallCell(wallCycle.get(k))).append(" | ")
                    .append(wallCell(wallHold.get(k))).append(" |\n");
        }
        md.append('\n');
        wallVerdict("100 threads", wallCycle, misses);
        wallVerdict("100 threads, holding for ~1 µs of work", wallHold, misses);
        md.append("\nTargets: Lifeguard >= best peer at every thread count (ratio >= 1.0), and >= 3x Commons Pool2. ");
        md.append(misses.isEmpty() ? "**Met.**\n\n" : "**Missed:** " + String.join("; ", misses) + ".\n\n");
    }

    private static String wallCell(WallClockMain.Result r) {
        return r == null ? "failed (see below) | " : fmt(r.opsPerSecond()) + " | " + r.minThreadOps() + " / "
                + r.maxThreadOps();
    }

    /** @return the fastest pool other than Lifeguard among those that pass {@code among}, or null if none */
    private static WallClockMain.Result fastestPeer(Map<PoolKind, WallClockMain.Result> wall,
            Predicate<WallClockMain.Result> among) {
        WallClockMain.Result best = null;
        for (WallClockMain.Result r : wall.values()) {
            if (r.pool() != PoolKind.LIFEGUARD && among.test(r)
                    && (best == null || r.opsPerSecond() > best.opsPerSecond())) {
                best = r;
            }
        }
        return best;
    }

    /** Lifeguard against the best peer and Commons Pool2 in one wall-clock case; a peer that starves is named. */
    private void wallVerdict(String label, Map<PoolKind, WallClockMain.Result> wall, List<String> misses) {
        WallClockMain.Result lg = wall.get(PoolKind.LIFEGUARD);
        WallClockMain.Result commons = wall.get(PoolKind.COMMONS_POOL2);
        WallClockMain.Result best = fastestPeer(wall, r -> true);
        if (lg == null || commons == null || best == null) {
            misses.add(label + " (wall clock): not measured");
            return;
        }
        double vsBest = lg.opsPerSecond() / best.opsPerSecond();
        double vsCommons = lg.opsPerSecond() / commons.opsPerSecond();
        md.append(String.format(Locale.ROOT, "- %s: Lifeguard / best peer (%s) **%.2f**, Lifeguard / Commons Pool2 "
                + "**%.2f**; least-served thread: Lifeguard %d ops, %s %d ops", label, best.pool().label(),
                vsBest, vsCommons, lg.minThreadOps(), best.pool().label(), best.minThreadOps()));
        WallClockMain.Result fair = fastestPeer(wall, WallClockMain.Result::servesEveryThread);
        if (fair != null && fair != best) {
            md.append(String.format(Locale.ROOT, ". Against the best peer that served every thread at least 1%% of "
                    + "the average (%s): **%.2f**", fair.pool().label(), lg.opsPerSecond() / fair.opsPerSecond()));
        }
        md.append(".\n");
        if (vsBest < 1.0) {
            misses.add(String.format(Locale.ROOT, "%s (wall clock): %.2fx of %s%s", label, vsBest,
                    best.pool().label(), best.minThreadOps() * 100 < lg.minThreadOps()
                            ? ", whose least-served thread did " + best.minThreadOps() + " ops to Lifeguard's "
                            + lg.minThreadOps() : ""));
        }
        if (vsCommons < 3.0) {
            misses.add(String.format(Locale.ROOT, "%s (wall clock): %.2fx of Commons Pool2 (target 3x)", label,
                    vsCommons));
        }
    }

    private void row(String label, Map<PoolKind, Result<?>> results, List<String> misses) {
        md.append("| ").append(label).append(" |");
        double best = 0;
        PoolKind bestKind = null;
        for (PoolKind k : PoolKind.values()) {
            Result<?> r = results.get(k);
            md.append(' ').append(r == null ? "failed (see below)" : fmt(r.getScore()) + " ± "
                    + fmt(r.getScoreError())).append(" |");
            if (r != null && k != PoolKind.LIFEGUARD && r.getScore() > best) {
                best = r.getScore();
                bestKind = k;
            }
        }
        if (results.get(PoolKind.LIFEGUARD) == null || results.get(PoolKind.COMMONS_POOL2) == null
                || bestKind == null) {
            md.append(" - | - |\n");
            misses.add(label + ": not measured");
            return;
        }
        double lg = results.get(PoolKind.LIFEGUARD).getScore();
        double vsBest = lg / best;
        double vsCommons = lg / results.get(PoolKind.COMMONS_POOL2).getScore();
        md.append(String.format(Locale.ROOT, " %.2f (%s) | %.2f |%n", vsBest, bestKind.label(), vsCommons));
        if (vsBest < 1.0) {
            misses.add(String.format(Locale.ROOT, "%s: %.2fx of %s", label, vsBest, bestKind.label()));
        }
        if (vsCommons < 3.0) {
            misses.add(String.format(Locale.ROOT, "%s: %.2fx of Commons Pool2 (target 3x)", label, vsCommons));
        }
    }

    private void allocation(Collection<RunResult> runs) {
        md.append("## Allocation per acquire + release (1 thread, `-prof gc`, bytes/op)\n\n"
                + "| pool | B/op |\n|---|---|\n");
        double lifeguard = -1;
        for (RunResult r : runs) {
            PoolKind k = PoolKind.valueOf(r.getParams().getParam("pool"));
            Result<?> norm = r.getSecondaryResults().get("gc.alloc.rate.norm");
            double v = norm == null ? Double.NaN : norm.getScore();
            if (k == PoolKind.LIFEGUARD) {
                lifeguard = v;
            }
            md.append("| ").append(k.label()).append(" | ").append(String.format(Locale.ROOT, "%.1f", v))
                    .append(" |\n");
        }
        md.append("\nThe Lifeguard and HikariCP adapters use their handle the way applications do, in "
                + "try-with-resources within one method; the other pools hand out the pooled object itself.\n");
        md.append("\nTarget: zero bytes per acquire + release in steady state. ")
                .append(lifeguard < 1 ? "**Met** for a lease used within one method: `acquire` and `close` are "
                        + "small enough to inline into the caller, so the JIT drops the lease handle (a fresh one per "
                        + "lease, so that a stale handle can never touch a later lease of the same connection). That "
                        + "includes try-with-resources' exception path, which C2 compiles though it is never taken: "
                        + "there it inlines a call only to a method of at most 6 bytes of bytecode that, if already "
                        + "compiled on its own, is at most 625 bytes of machine code. `close()` is 5 bytes and "
                        + "compiles to about 500 (`AllocationTest` checks a lease around a call that may throw; "
                        + "before, `close()` compiled to 1.2 KB, and with work at 10 and 100 threads the handle "
                        + "escaped there: about 23 B per acquire+release). A lease stored in a field or passed to a "
                        + "method the JIT does not inline costs one 24-byte handle."
                        : String.format(Locale.ROOT, "**Missed: %.0f B/op** — the lease handle (one small object per "
                        + "acquire, so that a stale handle can never touch a later lease of the same connection), "
                        + "which the JIT did not eliminate here.", lifeguard))
                .append("\n\n");
    }

    /** Measured wait-time runs per pool, after {@link #WAIT_WARMUPS} unrecorded: the table shows the median run. */
    private static final int WAIT_RUNS = 3;
    /**
     * Unrecorded wait-time runs per pool. With one, Lifeguard's first measured run had the highest p99 of its three
     * in each of the last ten full runs (0.3-1.0 µs, then 0.1-0.5), stormpot's in none: Lifeguard runs first, so its
     * warm-up also compiles the harness (the task loop, the histogram recorder, the executor).
     */
    private static final int WAIT_WARMUPS = 2;

    private Map<PoolKind, List<WaitTimes.Result>> waitTimes() throws Exception {
        Map<PoolKind, List<WaitTimes.Result>> out = new EnumMap<>(PoolKind.class);
        ExecutorService threads = Executors.newFixedThreadPool(100, WaitTimes.daemon());
        try {
            for (PoolKind k : PoolKind.values()) {
                try {
                    // Warm-up: runs as long as a measured one. After 50,000 acquires only, Lifeguard's p99 came out
                    // at 1.4-3.5 µs where the next runs in the same JVM gave 0.3-2.5 (stormpot 0.3, then 0.1).
                    for (int i = 0; i < (quick ? 1 : WAIT_WARMUPS); i++) {
                        WaitTimes.run(k, threads, 100, quick ? 50 : 10_000, 0);
                    }
                    // A million acquires a run: shorter runs (200,000) often ended before the pools settled into
                    // their steady state, and missed the long waits of pools that let callers overtake without limit.
                    List<WaitTimes.Result> runs = new ArrayList<>();
                    for (int i = 0; i < (quick ? 1 : WAIT_RUNS); i++) {
                        runs.add(WaitTimes.run(k, threads, 100, quick ? 300 : 10_000, 0));
                    }
                    out.put(k, runs);
                } catch (Exception e) {
                    failures.add(k.label() + " failed the wait-time case: " + e.getCause());
                }
            }
        } finally {
            threads.shutdownNow();
        }
        return out;
    }

    /** @return the run whose p99 is the median of the runs' */
    private static WaitTimes.Result medianRun(List<WaitTimes.Result> runs) {
        List<WaitTimes.Result> sorted = new ArrayList<>(runs);
        sorted.sort(java.util.Comparator.comparingLong(WaitTimes.Result::p99Nanos));
        return sorted.get(sorted.size() / 2);
    }

    private void waitTable(Map<PoolKind, List<WaitTimes.Result>> waits) {
        md.append("## Wait time in acquire: 100 tasks sharing 10 connections (µs, lower is better)\n\n");
        md.append("Each task: acquire, ~4 µs of CPU work holding the connection, release; the time spent in "
                + "acquire is recorded in an HdrHistogram. Each pool first runs " + (quick ? "5,000" : "two million")
                + " acquires unrecorded, as a warm-up (one million left the first pool, which also warms the "
                + "harness, at its worst p99 in its first measured run), then " + (quick ? "1 run of 30,000" : WAIT_RUNS
                + " runs of a million") + ", recorded each on its own. A pool's p99 varies by several times from "
                + "run to run (it sits where about 1 acquire in 100 had to wait at all), so the row shows the run "
                + "with the median p99, the column after it every run's p99, and max the longest wait of all runs.\n\n"
                + "| pool | ops per run | p50 | p99 | p99 of each run | p99.9 | max (all runs) | ops/s |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        long bestPeerP99 = Long.MAX_VALUE;
        PoolKind bestPeer = null;
        WaitTimes.Result lg = null; // Lifeguard's median run, and its longest wait over all runs
        long lgMax = 0;
        for (PoolKind k : PoolKind.values()) {
            List<WaitTimes.Result> runs = waits.get(k);
            if (runs == null) {
                md.append("| ").append(k.label()).append(" | failed | | | | | | |\n");
                continue;
            }
            WaitTimes.Result r = medianRun(runs);
            long max = runs.stream().mapToLong(WaitTimes.Result::maxNanos).max().orElse(0);
            md.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %s | %.1f | %.1f | %s |%n", k.label(),
                    r.ops(), r.p50Nanos() / 1e3, r.p99Nanos() / 1e3, runs.stream()
                            .map(x -> String.format(Locale.ROOT, "%.1f", x.p99Nanos() / 1e3))
                            .collect(java.util.stream.Collectors.joining(" / ")),
                    r.p999Nanos() / 1e3, max / 1e3, fmt(r.ops() / r.seconds())));
            if (k == PoolKind.LIFEGUARD) {
                lg = r;
                lgMax = max;
            } else if (r.p99Nanos() < bestPeerP99) {
                bestPeerP99 = r.p99Nanos();
                bestPeer = k;
            }
        }
        if (lg == null || bestPeer == null) {
            md.append("\nTarget: p99 wait no worse than the best peer: **not measured**.\n\n");
            return;
        }
        md.append(String.format(Locale.ROOT, "%nTarget: p99 wait no worse than the best peer (%s, %.1f µs, median "
                        + "run); Lifeguard %.1f µs: **%s**. Max wait %.1f ms over all runs (Lifeguard serves waiters "
                        + "in arrival order and lets others go first only while the queue keeps moving, so nobody "
                        + "starves).%n%n",
                bestPeer.label(), bestPeerP99 / 1e3,
                lg.p99Nanos() / 1e3, lg.p99Nanos() <= bestPeerP99 ? "met" : String.format(Locale.ROOT,
                        "missed by %.1fx", (double) lg.p99Nanos() / bestPeerP99), lgMax / 1e6));
    }

    private String virtualThreads() throws Exception {
        StringBuilder s = new StringBuilder("## Virtual threads: 10,000 sharing 10 connections\n\n");
        Path java = newestJava();
        if (java == null) {
            return s.append("Skipped: no Java 21+ found (set LIFEGUARD_BENCH_JAVA to its `bin/java`).\n\n")
                    .toString();
        }
        String jar = Path.of(BenchmarkReport.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        Process p = new ProcessBuilder(java.toString(), "-Xmx1g", "-cp", jar, VirtualThreadsMain.class.getName(),
                "10000", quick ? "2" : "5").redirectErrorStream(true).start();
        List<String> results = new ArrayList<>();
        String version = "";
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("RESULT ")) {
                    results.add(line.substring(7));
                }
            }
        }
        p.waitFor(10, TimeUnit.MINUTES);
        Process v = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
        version = new String(v.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().findFirst().orElse("");
        v.waitFor();
        s.append("Run on `").append(version).append("` with JFR recording `jdk.VirtualThreadPinned` at threshold 0. "
                + "Each virtual thread: acquire, park 20 µs holding the connection, release. Before any recording, "
                + "each pool serves 1,000 virtual threads once, unrecorded, so that first-use class loading (which "
                + "pins a virtual thread that contends for the class loader's monitor) is not counted.\n\n"
                + "| pool | ops | pinned events | wait p50 (µs) | wait p99 (µs) | wait max (ms) |\n"
                + "|---|---|---|---|---|---|\n");
        long lifeguardPins = -1;
        for (String line : results) {
            Map<String, String> kv = new LinkedHashMap<>();
            String[] parts = line.split(" ");
            for (int i = 1; i < parts.length; i++) {
                String[] x = parts[i].split("=");
                kv.put(x[0], x[1]);
            }
            PoolKind k = PoolKind.valueOf(parts[0]);
            if (k == PoolKind.LIFEGUARD) {
                lifeguardPins = Long.parseLong(kv.get("pinned"));
            }
            s.append(String.format(Locale.ROOT, "| %s | %s | %s | %.1f | %.1f | %.1f |%n", k.label(), kv.get("ops"),
                    kv.get("pinned"), Long.parseLong(kv.get("p50")) / 1e3, Long.parseLong(kv.get("p99")) / 1e3,
                    Long.parseLong(kv.get("max")) / 1e6));
        }
        s.append("\nTarget: no pinning events. Lifeguard: **")
                .append(lifeguardPins == 0 ? "met" : lifeguardPins < 0 ? "not measured" : lifeguardPins + " events")
                .append("** (it blocks only in `java.util.concurrent` locks and conditions, never in `synchronized`; "
                        + "note that since JDK 24 (JEP 491) `synchronized` no longer pins either).\n\n");
        return s.toString();
    }

    /**
     * The TCP ways in interleaved rounds (each round one JVM per way, in turn, each way in a different place in
     * each round), every measured second kept per way.
     * A round trip here is two thread wake-ups on 2 cores, and the machine's pace drifts over a minute: run one way
     * after the other and the drift lands on one of them (pooled read 92% of dedicated in one run, 107% in the next).
     */
    private Map<String, List<Double>> tcpRounds() throws Exception {
        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        List<String> ways = new ArrayList<>(List.of("dedicatedConnection", "lifeguardPooled",
                "newConnectionPerRequest"));
        for (int round = 0; round < TCP_ROUNDS; round++) {
            List<RunResult> runs = new ArrayList<>();
            for (String way : ways) {
                runs.addAll(new Runner(jmh().include(TcpBenchmark.class.getName() + "." + way + "$").threads(4)
                        .warmupIterations(quick ? 1 : 2).measurementIterations(quick ? 1 : 3).build()).run());
            }
            java.util.Collections.rotate(ways, 1); // each way in a different place in each round
            for (RunResult r : runs) {
                String name = r.getParams().getBenchmark();
                List<Double> list = seconds.computeIfAbsent(name.substring(name.lastIndexOf('.') + 1),
                        n -> new ArrayList<>());
                r.getBenchmarkResults().forEach(b -> b.getIterationResults()
                        .forEach(i -> list.add(i.getPrimaryResult().getScore())));
            }
        }
        return seconds;
    }

    /**
     * {@link TcpBenchmark#interleaved}: the ways taking turns request by request on the same 4 threads, in 3 JVMs.
     * Per measured second, the ratio of two ways' time per request.
     *
     * @return per comparison, its per-second ratios
     */
    private Map<String, ListStatistics> tcpInterleaved() throws Exception {
        Collection<RunResult> runs = new Runner(jmh().include(TcpBenchmark.class.getName() + ".interleaved$")
                .threads(4).forks(quick ? 1 : 3).warmupIterations(quick ? 1 : 2)
                .measurementIterations(quick ? 3 : 8).build()).run();
        Map<String, ListStatistics> ratios = new LinkedHashMap<>();
        for (String comparison : List.of(POOLED_VS_IDEAL, POOLED_VS_CHANNEL, CHANNEL_VS_IDEAL)) {
            ratios.put(comparison, new ListStatistics());
        }
        for (RunResult run : runs) {
            for (BenchmarkResult fork : run.getBenchmarkResults()) {
                for (IterationResult second : fork.getIterationResults()) {
                    double pooled = second.getSecondaryResults().get("pooledNanos").getScore();
                    double dedicated = second.getSecondaryResults().get("dedicatedNanos").getScore();
                    double channel = second.getSecondaryResults().get("channelSocketNanos").getScore();
                    ratios.get(POOLED_VS_IDEAL).addValue(dedicated / pooled);
                    ratios.get(POOLED_VS_CHANNEL).addValue(channel / pooled);
                    ratios.get(CHANNEL_VS_IDEAL).addValue(dedicated / channel);
                }
            }
        }
        return ratios;
    }

    private void tcpTable(Map<String, List<Double>> seconds, Map<String, ListStatistics> perRequest) {
        md.append("## Loopback TCP request/response, 4 threads (32-byte echo)\n\n"
                + "Each way on its own, in " + TCP_ROUNDS + " rounds, interleaved with the others and in a different "
                + "place in each round (a JVM per way and round, " + (quick ? "1" : "2") + " x 1 s warm-up, "
                + (quick ? "1" : "3") + " x 1 s measured); the score is the mean of all measured seconds, the error "
                + "bar their 99.9% confidence interval (ops/s, higher is better):\n\n"
                + "| way | ops/s | of the ideal |\n|---|---|---|\n");
        Map<String, ListStatistics> stats = new LinkedHashMap<>();
        seconds.forEach((way, values) -> {
            ListStatistics s = new ListStatistics();
            values.forEach(s::addValue);
            stats.put(way, s);
        });
        double ideal = stats.get("dedicatedConnection").getMean();
        stats.forEach((way, s) -> md.append(String.format(Locale.ROOT, "| %s | %s ± %s | %.0f%% |%n", way,
                fmt(s.getMean()), fmt(s.getMeanErrorAt(0.999)), 100 * s.getMean() / ideal)));
        md.append("\nRun this way, pooled has read from 88% to 106% of dedicated across full runs: a round trip is "
                + "two thread wake-ups, 4 client and 4 server threads share 2 cores, and the scheduler settles into "
                + "arrangements that last seconds. So the target is read from the ways taking turns request by "
                + "request on the same threads (`TcpBenchmark.interleaved`: pooled, dedicated, then a dedicated "
                + "socket of the type the built-in factory makes, a `SocketChannel`'s socket for its non-blocking "
                + "liveness check), where every arrangement falls on all three alike. ")
                .append(quick ? "1 JVM" : "3 JVMs").append(", ").append(quick ? "1" : "2")
                .append(" x 1 s warm-up, ").append(quick ? "3" : "8").append(" x 1 s measured each; per measured "
                        + "second, one way's time per request over the other's (its throughput ratio); mean and "
                        + "99.9% confidence interval:\n\n| comparison | ratio | seconds' range |\n|---|---|---|\n");
        perRequest.forEach((comparison, s) -> md.append(String.format(Locale.ROOT, "| %s | %.1f%% ± %.1f%% | "
                + "%.0f%% to %.0f%% |%n", comparison, 100 * s.getMean(), 100 * s.getMeanErrorAt(0.999),
                100 * s.getMin(), 100 * s.getMax())));
        double ratio = perRequest.get(POOLED_VS_IDEAL).getMean();
        md.append(String.format(Locale.ROOT, "%nTarget: pooled >= 95%% of a dedicated connection per thread: "
                + "**%s** (%.1f%%, request by request). A new connection per request reaches %.0f%% (separate "
                + "runs).%n", ratio >= 0.95 ? "met" : "missed", 100 * ratio,
                100 * stats.get("newConnectionPerRequest").getMean() / ideal));
    }

    private static Map<PoolKind, Result<?>> byPool(Collection<RunResult> runs) {
        Map<PoolKind, Result<?>> out = new EnumMap<>(PoolKind.class);
        for (RunResult r : runs) {
            if (r.getPrimaryResult().getSampleCount() > 0) {
                out.put(PoolKind.valueOf(r.getParams().getParam("pool")), r.getPrimaryResult());
            }
        }
        return out;
    }

    private static Path newestJava() {
        String env = System.getenv("LIFEGUARD_BENCH_JAVA");
        if (env != null && Files.isExecutable(Path.of(env))) {
            return Path.of(env);
        }
        if (Runtime.version().feature() >= 21) {
            return Path.of(System.getProperty("java.home"), "bin", "java");
        }
        Path temurin = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
        return Files.isExecutable(temurin) ? temurin : null;
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
        } catch (Exception e) {
            return "unknown CPU";
        }
    }

    private static String fmt(double v) {
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", v / 1e6);
        }
        if (v >= 1e3) {
            return String.format(Locale.ROOT, "%.1fk", v / 1e3);
        }
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
