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
import org.openmmsc.mm7.service.VaspDirectory;
import java.util.List;

/**
 * The MM7 interface as a node runs it: the VASP listener, and toward VASPs the delivery agent
 * (DeliverReq, route VASP_MM7) and the report sink (DeliveryReportReq, ReadReplyReq) for the
 * node to register with its scheduler and relay.
 */
public final class Mm7Interface implements InterfaceRuntime {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Mm7Interface.class);
    private final Mm7Config config;
    private final Mm7HttpServer server;
    private final int port;
    private final VaspDeliveryAgent agent;
    private final Mm7ReportSink reports;
    private final VaspDirectory vasps;

    private Mm7Interface(Mm7Config config, VaspDirectory vasps, Mm7HttpServer server, int port, VaspDeliveryAgent agent, Mm7ReportSink reports) {
        this.config = config;
        this.vasps = vasps;
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
        // One directory for both directions, so a reload changes what the listener admits and where requests to VASPs go.
        VaspDirectory vasps = new VaspDirectory(config, System::nanoTime);
        VaspDeliveryAgent agent = new VaspDeliveryAgent(vasps::byId, client, relayServerId);
        Mm7ReportSink reports = new Mm7ReportSink(vasps::byId, client, relayServerId);
        Mm7HttpServer server = new Mm7HttpServer(config, vasps, new Mm7Service(relay, numbers, messages), meters);
        try {
            return new Mm7Interface(config, vasps, server, server.start(), agent, reports);
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

    /**
     * Replaces the VASP accounts without dropping anything under way: requests already admitted
     * finish with the account they were admitted with; the next request, DeliverReq or report uses
     * the new accounts. The caller has validated them (a loaded configuration); the listener's own
     * settings (address, port, TLS, limits) change only with a restart.
     */
    public void reloadVasps(List<VaspAccount> accounts) {
        Mm7Config checked = config.withVasps(accounts);
        List<VaspAccount> before = vasps.accounts();
        vasps.reload(checked.vasps());
        java.util.Set<String> oldIds = new java.util.TreeSet<>(before.stream().map(VaspAccount::id).toList());
        java.util.Set<String> newIds = new java.util.TreeSet<>(checked.vasps().stream().map(VaspAccount::id).toList());
        java.util.Set<String> added = new java.util.TreeSet<>(newIds);
        added.removeAll(oldIds);
        java.util.Set<String> removed = new java.util.TreeSet<>(oldIds);
        removed.removeAll(newIds);
        long changed = checked.vasps().stream().filter(v -> oldIds.contains(v.id()) && !before.contains(v)).count();
        log.info("MM7 VASP accounts reloaded: {} now, added {}, removed {}, {} changed", newIds.size(), added, removed, changed);
    }

    /** The VASP accounts in force. */
    public List<VaspAccount> vasps() {
        return vasps.accounts();
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
