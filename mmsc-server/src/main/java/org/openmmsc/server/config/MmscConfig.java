package org.openmmsc.server.config;

import org.openmmsc.core.config.NumberingConfig;
import org.openmmsc.core.config.RelayConfig;
import org.openmmsc.core.config.RoutingConfig;
import org.openmmsc.core.config.SchedulerConfig;
import org.openmmsc.mm1.Mm1Config;
import org.openmmsc.mm3.SmtpConfig;
import org.openmmsc.mm7.Mm7Config;

/**
 * The whole configuration file. Every section and key is optional: with none, the MMSC is a
 * one-operator lab on loopback (every E.164 number local, store under ./data).
 * Each key is documented in docs/configuration.md.
 */
public record MmscConfig(
        NodeConfig node,
        StoreConfig store,
        AdminConfig admin,
        Mm1Config mm1,
        Mm7Config mm7,
        SmtpConfig smtp,
        RelayConfig relay,
        SchedulerConfig scheduler,
        NumberingConfig numbering,
        RoutingConfig routing) {

    public static final int DEFAULT_MM1_PORT = Mm1Config.DEFAULT_PORT;
    public static final int DEFAULT_MM7_PORT = Mm7Config.DEFAULT_PORT;
    public static final int DEFAULT_SMTP_PORT = SmtpConfig.DEFAULT_PORT;

    public MmscConfig {
        node = node == null ? NodeConfig.defaults() : node;
        store = store == null ? StoreConfig.defaults() : store;
        admin = admin == null ? AdminConfig.defaults() : admin;
        mm1 = mm1 == null ? Mm1Config.defaults() : mm1;
        mm7 = mm7 == null ? Mm7Config.defaults() : mm7;
        smtp = (smtp == null ? SmtpConfig.defaults() : smtp).withDefaultDomain(node.mmsDomain());
        relay = relay == null ? RelayConfig.defaults() : relay;
        scheduler = scheduler == null ? SchedulerConfig.defaults() : scheduler;
        numbering = numbering == null ? NumberingConfig.defaults() : numbering;
        routing = routing == null ? RoutingConfig.defaults() : routing;
    }

    public static MmscConfig defaults() {
        return new MmscConfig(null, null, null, null, null, null, null, null, null, null);
    }
}
