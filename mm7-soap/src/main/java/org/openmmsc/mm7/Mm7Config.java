package org.openmmsc.mm7;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.openmmsc.core.config.ConfigException;

/**
 * The MM7 interface: where it listens, how much it takes, and the VASPs allowed in.
 * Every key is optional; documented in docs/configuration.md (mm7) and docs/mm7.md.
 *
 * @param bindAddress      listener address; loopback by default
 * @param port             listener port (0 = any free port, for tests)
 * @param maxMessageBytes  largest HTTP body any VASP may send (a VASP's own cap may be lower); refused before parsing
 * @param workers          threads that parse SOAP and hand messages to the relay (never the Netty event loop)
 * @param queueLimit       requests waiting for a worker before new ones get 4006 Service unavailable
 * @param vasps            the VASP accounts; none means every request is refused with 4001
 * @param tls              HTTPS (optionally mutual TLS) on the listener; none: plain HTTP
 * @param vaspReloadInterval how often the node looks at its configuration file for changed VASP
 *                         accounts and applies them without a restart (default 5 s; 0 turns it off)
 */
public record Mm7Config(String bindAddress, Integer port, Integer maxMessageBytes, Integer workers, Integer queueLimit, List<VaspAccount> vasps,
                        Mm7Tls tls, java.time.Duration vaspReloadInterval) {

    public static final java.time.Duration DEFAULT_VASP_RELOAD_INTERVAL = java.time.Duration.ofSeconds(5);

    public static final int DEFAULT_PORT = 8192;
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 2 * 1024 * 1024;

    public Mm7Config {
        bindAddress = bindAddress == null ? "127.0.0.1" : bindAddress;
        if (bindAddress.isBlank()) throw new ConfigException("bindAddress", "must not be empty");
        port = port == null ? DEFAULT_PORT : port;
        if (port < 0 || port > 65535) throw new ConfigException("port", "must be between 0 and 65535, got " + port);
        maxMessageBytes = maxMessageBytes == null ? DEFAULT_MAX_MESSAGE_BYTES : maxMessageBytes;
        if (maxMessageBytes < 1024 || maxMessageBytes > 256 * 1024 * 1024) {
            throw new ConfigException("maxMessageBytes", "must be between 1024 and 268435456, got " + maxMessageBytes);
        }
        workers = workers == null ? Math.max(2, Runtime.getRuntime().availableProcessors()) : workers;
        if (workers < 1 || workers > 1024) throw new ConfigException("workers", "must be between 1 and 1024, got " + workers);
        queueLimit = queueLimit == null ? 4096 : queueLimit;
        if (queueLimit < 1 || queueLimit > 1_000_000) throw new ConfigException("queueLimit", "must be between 1 and 1000000, got " + queueLimit);
        vaspReloadInterval = vaspReloadInterval == null ? DEFAULT_VASP_RELOAD_INTERVAL : vaspReloadInterval;
        if (vaspReloadInterval.isNegative() || (!vaspReloadInterval.isZero() && vaspReloadInterval.toMillis() < 100)) {
            throw new ConfigException("vaspReloadInterval", "must be 0 (off) or at least 100ms, got " + vaspReloadInterval);
        }
        vasps = vasps == null ? List.of() : List.copyOf(vasps);
        Set<String> fingerprints = new HashSet<>();
        Set<String> ids = new HashSet<>();
        Set<String> users = new HashSet<>();
        for (int i = 0; i < vasps.size(); i++) {
            VaspAccount v = vasps.get(i);
            if (v == null) throw new ConfigException("vasps[" + i + "]", "must not be empty");
            if (!ids.add(v.id())) throw new ConfigException("vasps[" + i + "].id", "VASP id '" + v.id() + "' is used twice");
            if (!users.add(v.username())) throw new ConfigException("vasps[" + i + "].username", "user name '" + v.username() + "' is used twice");
            if (v.tls() != null && v.tls().bindsClientCertificate() && (tls == null || tls.clientAuth() == Mm7Tls.ClientCertificates.NONE)) {
                // Without a client certificate asked for, a bound VASP could never get in.
                throw new ConfigException("vasps[" + i + "].tls", "VASP '" + v.id() + "' is bound to a client certificate, which needs mm7.tls with clientAuth OPTIONAL or REQUIRE");
            }
            if (v.tls() != null && v.tls().certificateSha256() != null && !fingerprints.add(v.tls().certificateSha256())) {
                throw new ConfigException("vasps[" + i + "].tls.certificateSha256", "the same client certificate is bound to two VASPs");
            }
            if (v.maxMessageBytes() != null && v.maxMessageBytes() > maxMessageBytes) {
                throw new ConfigException("vasps[" + i + "].maxMessageBytes", "must not exceed mm7.maxMessageBytes (" + maxMessageBytes + ")");
            }
        }
    }

    /** Settings with the default reload interval. */
    public Mm7Config(String bindAddress, Integer port, Integer maxMessageBytes, Integer workers, Integer queueLimit, List<VaspAccount> vasps,
                     Mm7Tls tls) {
        this(bindAddress, port, maxMessageBytes, workers, queueLimit, vasps, tls, null);
    }

    public static Mm7Config defaults() {
        return new Mm7Config(null, null, null, null, null, null, null, null);
    }

    /** The same settings on another port (tests bind port 0). */
    public Mm7Config withPort(int newPort) {
        return new Mm7Config(bindAddress, newPort, maxMessageBytes, workers, queueLimit, vasps, tls, vaspReloadInterval);
    }

    /** The same settings with other VASP accounts, validated like a loaded configuration. */
    public Mm7Config withVasps(List<VaspAccount> newVasps) {
        return new Mm7Config(bindAddress, port, maxMessageBytes, workers, queueLimit, newVasps, tls, vaspReloadInterval);
    }

    /** A VASP's size cap: its own, else the interface's. */
    public int maxMessageBytes(VaspAccount vasp) {
        return vasp.maxMessageBytes() == null ? maxMessageBytes : vasp.maxMessageBytes();
    }
}
