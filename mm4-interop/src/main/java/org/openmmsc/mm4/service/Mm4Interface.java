package org.openmmsc.mm4.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.File;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import org.openmmsc.core.model.DeliveryKey;
import org.openmmsc.core.model.RecipientDelivery;
import javax.net.ssl.SSLException;
import org.openmmsc.core.config.ConfigException;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.openmmsc.core.model.NumberNormalizer;
import org.openmmsc.core.relay.Relay;
import org.openmmsc.core.spi.DeliveryAgent;
import org.openmmsc.core.spi.InterfaceRuntime;
import org.openmmsc.mm3.SmtpConfig;
import org.openmmsc.mm3.smtp.MxResolver;
import org.openmmsc.mm3.smtp.SmtpClient;
import org.openmmsc.mm3.smtp.SmtpServer;
import org.openmmsc.mm3.mime.MimeCodec;
import org.openmmsc.mm3.service.Mm3Bounces;
import org.openmmsc.mm3.service.Mm3Inbound;
import org.openmmsc.mm3.service.Mm3Outbound;
import org.openmmsc.mm3.service.Mm3RateLimiter;
import org.openmmsc.mm4.codec.Mm4Codec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MM4 on one node, assembled from the {@code smtp} configuration: the SMTP listener with MM4 relay
 * control, the delivery agent for PEER_MM4 routes and the report sink for messages that came over
 * MM4. The server registers the agent and sink, then calls {@link #start()}.
 */
public final class Mm4Interface implements InterfaceRuntime {
    private static final Logger log = LoggerFactory.getLogger(Mm4Interface.class);

    private final SmtpConfig config;
    private final Mm4Sender sender;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final Mm4Service service;
    private final Mm4DeliveryAgent agent;
    private final Mm4ReportSink reportSink;
    private final SmtpServer server;
    private final Relay relay;
    private final SmtpClient client;
    private final Mm3Outbound mm3Out;

    public Mm4Interface(SmtpConfig config, Relay relay, NumberNormalizer numbers) {
        this(config, relay, numbers, new CompositeMeterRegistry());
    }

    /** Without a delivery look-up, reports and responses are not checked against the peer a delivery went to. */
    public Mm4Interface(SmtpConfig config, Relay relay, NumberNormalizer numbers, MeterRegistry registry) {
        this(config, relay, numbers, registry, key -> Optional.empty());
    }

    /** @param deliveries reads a delivery (the store's), so a peer's report is only applied to deliveries sent to that peer */
    public Mm4Interface(SmtpConfig given, Relay relay, NumberNormalizer numbers, MeterRegistry registry,
                        Function<DeliveryKey, Optional<RecipientDelivery>> deliveries) {
        SmtpConfig config = given.withDefaultDomain("mms.localhost");
        this.config = config;
        Mm4Meters meters = new Mm4Meters(registry);
        Mm4Peers peers = new Mm4Peers(config.peers());
        MimeCodec mime = new MimeCodec();
        Mm4Codec codec = new Mm4Codec(mime);
        SmtpConfig.Outbound out = config.outbound();
        this.client = new SmtpClient(config.hostname(), config.connectTimeout(), config.responseTimeout(),
                new SmtpClient.PoolSettings(out.maxConnectionsPerDestination(), out.maxMessagesPerConnection(), out.idleTimeout()));
        MxResolver dns = new MxResolver(out.dnsServer(), out.dnsTimeout());
        this.sender = new Mm4Sender(client, peers, dns, out.dnsServer() != null, workers);
        HubTraces hubTraces = new HubTraces(20_000);
        this.mm3Out = config.mm3Smarthost() == null ? null : new Mm3Outbound(config.domain(), config.mm3Smarthost(), config.mm3KeepSmil(),
                config.mm3Footer(), config.returnPathDomain(), client, mime);
        Mm3Bounces bounces = mm3Out == null ? null : new Mm3Bounces(relay, config.returnPathDomain(), registry);
        this.service = new Mm4Service(config, relay, numbers, peers, sender, mime, codec, workers, meters,
                new Mm3Inbound(relay, numbers, config.mm3Domains(),
                        new Mm3RateLimiter(config.mm3MaxPerSenderPerHour(), config.mm3MaxPerDomainPerHour(), relay.clock()),
                        new Mm3Inbound.ContentLimits(config.mm3MaxPartSize(), config.mm3MaxContentSize(), config.mm3AllowedTypes()), mime),
                bounces, deliveries, hubTraces);
        this.agent = new Mm4DeliveryAgent(config.domain(), sender, codec, meters, config.hub(), hubTraces);
        this.reportSink = new Mm4ReportSink(config.domain(), sender, codec);
        this.server = new SmtpServer(config.bindAddress(), config.port(), config.hostname(), config.limits(), service,
                tlsContext(config, peers.anyByCertificate()));
        this.relay = relay;
    }

    private static SslContext tlsContext(SmtpConfig config, boolean askForClientCertificates) {
        if (config.tlsCertificate() == null) {
            if (askForClientCertificates) {
                throw new ConfigException("smtp.tlsCertificate", "a peer is recognised by its TLS client certificate, so the listener needs STARTTLS: "
                        + "set smtp.tlsCertificate and smtp.tlsKey");
            }
            return null;
        }
        try {
            SslContextBuilder builder = SslContextBuilder.forServer(new File(config.tlsCertificate()), new File(config.tlsKey()));
            if (askForClientCertificates) {
                // Ask, never demand: e-mail clients and address-only peers have none. Any chain passes the handshake, which
                // proves the client holds the key; Mm4Peers then decides whom the certificate names (pinned fingerprint, or
                // a chain valid under that peer's tlsTrust with one of its names), and nobody else gets past MAIL.
                builder.clientAuth(io.netty.handler.ssl.ClientAuth.OPTIONAL).trustManager(io.netty.handler.ssl.util.InsecureTrustManagerFactory.INSTANCE);
            }
            return builder.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new ConfigException("smtp.tlsCertificate", "cannot use the certificate and key: " + e.getMessage());
        }
    }

    public DeliveryAgent deliveryAgent() {
        return agent;
    }

    /** Registers the report sink with the relay and the agent (e.g. {@code scheduler::registerAgent}), then listens; answers the bound port. */
    public int start(Consumer<DeliveryAgent> registerAgent) throws InterruptedException {
        relay.registerReportSink(reportSink);
        registerAgent.accept(agent);
        if (mm3Out != null) registerAgent.accept(mm3Out);
        int port = server.start();
        log.info("MM4/SMTP listening on {}:{} for domain {} ({} peers)", config.bindAddress(), port, config.domain(), config.peers().size());
        return port;
    }

    public int port() {
        return server.port();
    }

    @Override
    public String describe() {
        return "SMTP (MM4) " + config.bindAddress() + ":" + server.port() + " domain " + config.domain();
    }

    @Override
    public void stopAccepting() {
        server.stopAccepting();
    }

    @Override
    public void close() {
        server.close();
        workers.shutdown();
        sender.close();
    }
}
