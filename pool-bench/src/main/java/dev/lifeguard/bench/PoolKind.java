package dev.lifeguard.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.lifeguard.ConnectionFactory;
import dev.lifeguard.Lease;
import dev.lifeguard.Pool;
import dev.lifeguard.PoolConfig;
import dev.lifeguard.Pools;
import org.apache.commons.pool2.BasePooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.openjdk.jmh.infra.Blackhole;
import org.vibur.objectpool.ConcurrentPool;
import org.vibur.objectpool.PoolObjectFactory;
import org.vibur.objectpool.util.ConcurrentLinkedQueueCollection;
import stormpot.BasePoolable;
import stormpot.Timeout;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The pools compared, each configured with 10 objects, made up front, and no per-checkout validation cost. */
public enum PoolKind {
    LIFEGUARD {
        @Override
        public BenchPool open(int size) throws Exception {
            Pool<Object> pool = Pools.create(PoolConfig.builder().name("bench").maxSize(size).minIdle(size)
                    // like HikariCP's 500 ms "alive bypass": a connection used that recently is not pinged
                    .validationThreshold(Duration.ofMillis(500))
                    .acquireTimeout(Duration.ofSeconds(30)).build(), new NoopFactory());
            List<Lease<Object>> warm = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                warm.add(pool.acquire());
            }
            warm.forEach(Lease::close);
            return new BenchPool() {
                @Override
                public Object acquire() {
                    return pool.acquire();
                }

                @Override
                public void release(Object handle) {
                    ((Lease<?>) handle).close();
                }

                /** As applications use it: the lease scoped to one method, so the JIT can drop the handle. */
                @Override
                public Object cycle() {
                    try (Lease<Object> lease = pool.acquire()) {
                        return lease.connection();
                    }
                }

                @Override
                public void cycleWithWork(long tokens, Blackhole bh) {
                    try (Lease<Object> lease = pool.acquire()) {
                        Blackhole.consumeCPU(tokens);
                        bh.consume(lease.connection());
                    }
                }

                @Override
                public void close() {
                    pool.close();
                }
            };
        }
    },
    HIKARICP {
        @Override
        public BenchPool open(int size) {
            HikariConfig c = new HikariConfig();
            c.setDataSource(new StubDataSource());
            c.setPoolName("bench");
            c.setMaximumPoolSize(size);
            c.setMinimumIdle(size);
            c.setConnectionTimeout(30_000);
            c.setAutoCommit(true);
            HikariDataSource ds = new HikariDataSource(c);
            return new BenchPool() {
                @Override
                public Object acquire() throws Exception {
                    return ds.getConnection();
                }

                @Override
                public void release(Object handle) throws Exception {
                    ((Connection) handle).close();
                }

                /** As applications use it: try-with-resources, the stub connection underneath returned. */
                @Override
                public Object cycle() throws Exception {
                    try (Connection c = ds.getConnection()) {
                        return c.unwrap(Connection.class);
                    }
                }

                @Override
                public void cycleWithWork(long tokens, Blackhole bh) throws Exception {
                    try (Connection c = ds.getConnection()) {
                        Blackhole.consumeCPU(tokens);
                        bh.consume(c);
                    }
                }

                @Override
                public void close() {
                    ds.close();
                }
            };
        }
    },
    COMMONS_POOL2 {
        @Override
        public BenchPool open(int size) throws Exception {
            GenericObjectPoolConfig<Object> c = new GenericObjectPoolConfig<>();
            c.setMaxTotal(size);
            c.setMaxIdle(size);
            c.setMinIdle(size);
            c.setBlockWhenExhausted(true);
            c.setJmxEnabled(false);
            GenericObjectPool<Object> pool = new GenericObjectPool<>(new BasePooledObjectFactory<>() {
                @Override
                public Object create() {
                    return new Object();
                }

                @Override
                public PooledObject<Object> wrap(Object o) {
                    return new DefaultPooledObject<>(o);
                }
            }, c);
            pool.preparePool();
            return new BenchPool() {
                @Override
                public Object acquire() throws Exception {
                    return pool.borrowObject();
                }

                @Override
                public void release(Object handle) {
                    pool.returnObject(handle);
                }

                @Override
                public void close() {
                    pool.close();
                }
            };
        }
    },
    STORMPOT {
        @Override
        public BenchPool open(int size) throws Exception {
            stormpot.Pool<BasePoolable> pool = stormpot.Pool.from(new stormpot.Allocator<BasePoolable>() {
                @Override
                public BasePoolable allocate(stormpot.Slot slot) {
                    return new BasePoolable(slot);
                }

                @Override
                public void deallocate(BasePoolable p) {
                    // nothing to free
                }
            }).setSize(size).build();
            Timeout timeout = new Timeout(30, TimeUnit.SECONDS);
            List<BasePoolable> warm = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                warm.add(pool.claim(timeout));
            }
            warm.forEach(BasePoolable::release);
            return new BenchPool() {
                @Override
                public Object acquire() throws Exception {
                    BasePoolable p = pool.claim(timeout);
                    if (p == null) {
                        throw new IllegalStateException("stormpot: no object within 30 s (a caller starved)");
                    }
                    return p;
                }

                @Override
                public void release(Object handle) {
                    ((BasePoolable) handle).release();
                }

                @Override
                public void close() throws Exception {
                    pool.shutdown().await(new Timeout(10, TimeUnit.SECONDS));
                }
            };
        }
    },
    VIBUR {
        @Override
        public BenchPool open(int size) {
            ConcurrentPool<Object> pool = new ConcurrentPool<>(new ConcurrentLinkedQueueCollection<>(),
                    new PoolObjectFactory<>() {
                        @Override
                        public Object create() {
                            return new Object();
                        }

                        @Override
                        public boolean readyToTake(Object o) {
                            return true;
                        }

                        @Override
                        public boolean readyToRestore(Object o) {
                            return true;
                        }

                        @Override
                        public void destroy(Object o) {
                            // nothing to free
                        }
                    }, size, size, false);
            return new BenchPool() {
                @Override
                public Object acquire() {
                    return pool.take();
                }

                @Override
                public void release(Object handle) {
                    pool.restore(handle);
                }

                @Override
                public void close() {
                    pool.close();
                }
            };
        }
    };

    public abstract BenchPool open(int size) throws Exception;

    String label() {
        return switch (this) {
            case LIFEGUARD -> "Lifeguard";
            case HIKARICP -> "HikariCP";
            case COMMONS_POOL2 -> "Commons Pool2";
            case STORMPOT -> "stormpot";
            case VIBUR -> "vibur";
        };
    }

    /** Connections that do nothing: only the pool's own work is measured. */
    static final class NoopFactory implements ConnectionFactory<Object> {
        @Override
        public Object create() {
            return new Object();
        }

        @Override
        public boolean validate(Object connection, Duration timeout) {
            return true;
        }

        @Override
        public void destroy(Object connection) {
            // nothing to free
        }
    }
}
