package org.openmmsc.server;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.openmmsc.core.model.NumberNormalizer;
import org.openmmsc.core.relay.LoggingChargingEvents;
import org.openmmsc.core.relay.Relay;
import org.openmmsc.core.relay.StaticRouteResolver;
import org.openmmsc.core.schedule.DeliveryScheduler;
import org.openmmsc.core.spi.InterfaceRuntime;
import org.openmmsc.core.spi.MessageStore;
import org.openmmsc.mm1.service.Mm1Interface;
import org.openmmsc.mm4.service.Mm4Interface;
import org.openmmsc.mm7.Mm7Interface;
import org.openmmsc.server.admin.AdminHttpServer;
import org.openmmsc.server.config.MmscConfig;
import org.openmmsc.store.rocksdb.RocksDbMessageStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running MMSC node: the store, the relay, the scheduler and the listeners, wired from the
 * configuration. Holds no business logic of its own.
 */
public final class MmscServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MmscServer.class);
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

    private final MmscConfig config;
    private final MessageStore store;
    private final DeliveryScheduler scheduler;
    private final AdminHttpServer admin;
    private final List<InterfaceRuntime> interfaces = new ArrayList<>();
    private final AtomicBoolean ready = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final int adminPort;
    private final Mm7Interface mm7;
    private volatile org.openmmsc.server.config.ConfigWatcher watcher;

    private MmscServer(MmscConfig config) throws Exception {
        long started = System.nanoTime();
        this.config = config;
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(meters);
        new JvmGcMetrics().bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        Clock clock = Clock.systemUTC();

        RocksDbMessageStore rocksDb = new RocksDbMessageStore(config.store().directory(),
                RocksDbMessageStore.Options.defaults().withSync(config.store().sync()).withClock(clock));
        rocksDb.bindTo(meters);
        this.store = rocksDb;
        try {
            Relay relay = new Relay(store, new StaticRouteResolver(config.routing(), config.smtp().hub()), config.relay(), clock, new LoggingChargingEvents(),
                    List.of(), meters);
            // A route without an agent on this node (LEGACY_SMS today) waits, retrying, with
            // "no delivery agent" as its last error.
            this.scheduler = new DeliveryScheduler(store, relay, List.of(), config.scheduler(), clock, config.node().id(), meters,
                    new SplittableRandom());
            NumberNormalizer numbers = config.numbering().normalizer();

            // Interfaces: each registers its DeliveryAgent (scheduler.registerAgent) and ReportSink
            // (relay.registerReportSink), starts its listeners, and is added to `interfaces`.
            this.mm7 = Mm7Interface.start(config.mm7(), relay, numbers, store::message, meters, config.node().id());
            scheduler.registerAgent(mm7.deliveryAgent());
            relay.registerReportSink(mm7.reportSink());
            interfaces.add(mm7);
            Mm4Interface mm4 = new Mm4Interface(config.smtp(), relay, numbers, meters, store::delivery);
            interfaces.add(mm4);
            mm4.start(scheduler::registerAgent);
            Mm1Interface mm1 = Mm1Interface.start(config.mm1(), relay, store, numbers, config.store().directory(), meters);
            interfaces.add(mm1);
            scheduler.registerAgent(mm1.deliveryAgent());
            scheduler.registerAgent(mm1.legacyAgent());
            relay.registerReportSink(mm1.reportSink());

            this.admin = new AdminHttpServer(config.admin(), relay, store, meters, this::isReady, numbers);
            this.adminPort = admin.start();
            scheduler.start();
        } catch (Exception | Error e) {
            for (InterfaceRuntime i : interfaces.reversed()) i.close();
            store.close();
            throw e;
        }
        ready.set(true);
        log.info("OpenMMSC node {} ready in {} ms: admin http://{}:{}/, {}store {} ({} messages, {} deliveries pending, sync {})",
                config.node().id(), Duration.ofNanos(System.nanoTime() - started).toMillis(), config.admin().bindAddress(), adminPort,
                interfaces.stream().map(i -> i.describe() + ", ").reduce("", String::concat),
                config.store().directory().toAbsolutePath(), store.messageCount(), store.pendingDeliveries(),
                config.store().sync() ? "on" : "OFF (acknowledged messages can be lost on power failure)");
    }

    /** Opens the store and starts every component; returns once the node is ready. */
    public static MmscServer start(MmscConfig config) throws Exception {
        return new MmscServer(config);
    }

    /**
     * Starts from {@code file} (already loaded into {@code config}) and, unless
     * {@code mm7.vaspReloadInterval} is 0, applies changed MM7 VASP accounts from it while running.
     */
    public static MmscServer start(MmscConfig config, java.nio.file.Path file) throws Exception {
        MmscServer server = new MmscServer(config);
        Duration interval = config.mm7().vaspReloadInterval();
        if (file != null && !interval.isZero()) {
            server.watcher = new org.openmmsc.server.config.ConfigWatcher(file, interval, server::applyReloaded);
        }
        return server;
    }

    /** What a changed configuration file changes in a running node: the MM7 VASP accounts; the rest waits for a restart. */
    private void applyReloaded(MmscConfig reloaded) {
        mm7.reloadVasps(reloaded.mm7().vasps());
        MmscConfig running = new MmscConfig(config.node(), config.store(), config.admin(), config.mm1(), config.mm7().withVasps(reloaded.mm7().vasps()),
                config.smtp(), config.relay(), config.scheduler(), config.numbering(), config.routing());
        if (!running.equals(reloaded)) {
            log.warn("configuration file changed beyond mm7.vasps; those other changes take effect at the next restart");
        }
    }

    /** The MM7 interface (tests look at the VASP accounts in force). */
    public Mm7Interface mm7() {
        return mm7;
    }

    public boolean isReady() {
        return ready.get() && !closed.get();
    }

    public int adminPort() {
        return adminPort;
    }

    public MmscConfig config() {
        return config;
    }

    /**
     * Graceful stop: refuse new work, let accepts under way finish (they are answered only once
     * durable), stop the scheduler (unfinished attempts are retried after their lease), close the store.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        log.info("stopping: no new requests; finishing accepts under way");
        ready.set(false);
        if (watcher != null) watcher.close();
        admin.stopAccepting();
        interfaces.forEach(InterfaceRuntime::stopAccepting);
        scheduler.stop(SHUTDOWN_GRACE);
        for (InterfaceRuntime i : interfaces.reversed()) i.close();
        admin.close();
        store.close();
        log.info("stopped");
    }
}
