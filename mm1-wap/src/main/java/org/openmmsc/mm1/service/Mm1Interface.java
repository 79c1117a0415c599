package org.openmmsc.mm1.service;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.openmmsc.core.model.NumberNormalizer;
import org.openmmsc.core.relay.Relay;
import org.openmmsc.core.spi.DeliveryAgent;
import org.openmmsc.core.spi.MessageStore;
import org.openmmsc.mm1.Mm1Config;
import org.openmmsc.mm1.netty.Mm1HttpServer;
import org.openmmsc.mm1.Mm1Config.Notification.PushPath;
import org.openmmsc.mm1.push.NotificationPathAgent;
import org.openmmsc.mm1.push.PapNotificationAgent;
import org.openmmsc.mm1.push.PapReportSink;
import org.openmmsc.core.spi.ReportSink;
import org.openmmsc.core.spi.InterfaceRuntime;
import org.openmmsc.mm1.smpp.SmppNotificationAgent;

/** MM1 as the server starts it: the HTTP listener and the notification agents (PAP, and SMPP when configured) for local subscribers. */
public final class Mm1Interface implements InterfaceRuntime {
    /** Name of the per-node retrieval-token secret inside the store directory. */
    public static final String TOKEN_SECRET_FILE = "mm1-token.key";

    private final Mm1Config config;
    private final Mm1Service service;
    private final Mm1HttpServer server;
    private final PapNotificationAgent agent;
    private final SmppNotificationAgent smpp;
    private final NotificationPathAgent paths;
    private final int port;

    private Mm1Interface(Mm1Config config, Mm1Service service, Mm1HttpServer server, PapNotificationAgent agent, SmppNotificationAgent smpp,
                         MeterRegistry meters, int port) {
        this.config = config;
        this.service = service;
        this.server = server;
        this.agent = agent;
        this.smpp = smpp;
        Map<PushPath, NotificationPathAgent.Path> byPath = new EnumMap<>(PushPath.class);
        byPath.put(PushPath.PAP, agent);
        if (smpp != null) byPath.put(PushPath.SMPP, smpp);
        this.paths = new NotificationPathAgent(config.notification(), byPath, meters);
        this.port = port;
    }

    /** Binds the listener; the caller registers {@link #deliveryAgent()} with the scheduler. */
    public static Mm1Interface start(Mm1Config config, Relay relay, MessageStore store, NumberNormalizer numbers, Path storeDirectory,
                                     MeterRegistry meters) throws InterruptedException {
        Mm1Service service = new Mm1Service(config, relay, store, numbers, ContentTokens.loadOrCreate(storeDirectory.resolve(TOKEN_SECRET_FILE)), meters);
        Mm1HttpServer server = new Mm1HttpServer(service, config.maxMessageBytes());
        int port;
        try {
            port = server.start(config.bindAddress(), config.port());
        } catch (RuntimeException | InterruptedException e) {
            server.close();
            throw e;
        }
        service.baseUrl(config.baseUrl(port));
        SmppNotificationAgent smpp = config.smpp().host() == null ? null : new SmppNotificationAgent(service, config.smpp(), meters);
        return new Mm1Interface(config, service, server, new PapNotificationAgent(service, config.ppg(), meters), smpp, meters, port);
    }

    /** Notifies each local subscriber by the path configured for the number (PAP or SMPP). */
    public DeliveryAgent deliveryAgent() {
        return paths;
    }

    /**
     * Delivery and read reports to MM1 senders, pushed by the path configured for the sender's number
     * (or, for an MMS 1.0 sender's read report, sent as a message).
     */
    public ReportSink reportSink() {
        return new PapReportSink(paths, service);
    }

    /** The agent for LEGACY_SMS recipients: a clear permanent failure until the SMS-with-link path exists. */
    public DeliveryAgent legacyAgent() {
        return new LegacyHandsetAgent();
    }

    public Mm1Service service() {
        return service;
    }

    public int port() {
        return port;
    }

    @Override
    public String describe() {
        return "MM1 http://" + config.bindAddress() + ":" + port + "/ (PPG " + (config.ppg().url() == null ? "not configured" : config.ppg().url())
                + (smpp == null ? "" : ", " + smpp.describe()) + ")";
    }

    @Override
    public void stopAccepting() {
        server.stopAccepting();
    }

    @Override
    public void close() {
        server.close();
        agent.close();
        if (smpp != null) smpp.close();
    }
}
