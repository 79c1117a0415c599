package org.openmmsc.mm7;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import java.util.function.Function;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.MessageId;
import org.openmmsc.core.model.NumberNormalizer;
import org.openmmsc.core.relay.Relay;
import org.openmmsc.core.spi.DeliveryAgent;
import org.openmmsc.core.spi.ReportSink;
import org.openmmsc.core.spi.InterfaceRuntime;
import org.openmmsc.mm7.client.Mm7Client;
import org.openmmsc.mm7.client.Mm7ReportSink;
import org.openmmsc.mm7.client.VaspDeliveryAgent;
import org.openmmsc.mm7.netty.Mm7HttpServer;
import org.openmmsc.mm7.service.Mm7Service;

/**
 * The MM7 interface as a node runs it: the VASP listener, and toward VASPs the delivery agent
 * (DeliverReq, route VASP_MM7) and the report sink (DeliveryReportReq, ReadReplyReq) for the
 * node to register with its scheduler and relay.
 */
public final class Mm7Interface implements InterfaceRuntime {
    private final Mm7Config config;
    private final Mm7HttpServer server;
    private final int port;
    private final VaspDeliveryAgent agent;
    private final Mm7ReportSink reports;

    private Mm7Interface(Mm7Config config, Mm7HttpServer server, int port, VaspDeliveryAgent agent, Mm7ReportSink reports) {
        this.config = config;
        this.server = server;
        this.port = port;
        this.agent = agent;
        this.reports = reports;
    }

    /**
     * Starts the listener. {@code messages} looks up stored messages (CancelReq checks ownership);
     * {@code relayServerId} is our MMSRelayServerID in requests to VASPs.
     */
    public static Mm7Interface start(Mm7Config config, Relay relay, NumberNormalizer numbers,
                                     Function<MessageId, Optional<Message>> messages, MeterRegistry meters, String relayServerId) throws InterruptedException {
        Mm7Client client = new Mm7Client(java.net.http.HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(10)).build(),
                java.time.Duration.ofSeconds(30));
        VaspDeliveryAgent agent = new VaspDeliveryAgent(config.vasps(), client, relayServerId);
        Mm7ReportSink reports = new Mm7ReportSink(config.vasps(), client, relayServerId);
        Mm7HttpServer server = new Mm7HttpServer(config, new Mm7Service(relay, numbers, messages), meters);
        try {
            return new Mm7Interface(config, server, server.start(), agent, reports);
        } catch (InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** DeliverReq toward VASPs: register with the scheduler. */
    public DeliveryAgent deliveryAgent() {
        return agent;
    }

    /** DeliveryReportReq / ReadReplyReq toward VASPs: register with the relay. */
    public ReportSink reportSink() {
        return reports;
    }

    public int port() {
        return port;
    }

    @Override
    public String describe() {
        return "MM7 " + (config.tls() == null ? "http" : "https") + "://" + config.bindAddress() + ":" + port + "/";
    }

    @Override
    public void stopAccepting() {
        server.stopAccepting();
    }

    @Override
    public void close() {
        server.close();
    }
}
