package org.openmmsc.mm7;

import java.util.List;
import org.openmmsc.core.config.CidrBlock;
import org.openmmsc.core.config.ConfigException;
import org.openmmsc.core.model.Address;

/**
 * One VASP allowed to submit over MM7.
 *
 * @param id              the VASP id (MM7 VASPID); the sender identity for duplicate suppression and reports
 * @param username        HTTP Basic user name; defaults to the id
 * @param password        HTTP Basic password (required)
 * @param allowedSources  CIDRs the VASP may connect from; default loopback only
 * @param shortCodes      the VASP's own short codes: allowed as SenderAddress; the first is the sender when none is given
 * @param allowedSenders  further sender addresses the VASP may use (E.164 numbers with '+', short codes, e-mail)
 * @param maxPerSecond    throughput cap (token bucket rate); over it → 4006 Service unavailable
 * @param burst           token bucket size: requests allowed at once after a quiet spell; default = maxPerSecond (at least 1)
 * @param maxMessageBytes this VASP's HTTP body cap; default mm7.maxMessageBytes
 * @param deliveryUrl     where we POST DeliverReq (MO messages to the VASP's short codes), DeliveryReportReq and ReadReplyReq; none: nothing is sent
 * @param deliveryUsername HTTP Basic user toward the VASP (none: no Authorization header)
 * @param deliveryPassword HTTP Basic password toward the VASP
 * @param schema          MM7 schema we speak to this VASP, e.g. REL-5-MM7-1-2; default REL-6-MM7-1-4
 * @param mm7Version      MM7Version we send; default 6.8.0
 * @param tls             per-VASP TLS: trust and client certificate toward its deliveryUrl, client certificate it must present to us
 */
public record VaspAccount(String id, String username, String password, List<String> allowedSources, List<String> shortCodes,
                          List<String> allowedSenders, Double maxPerSecond, Integer burst, Integer maxMessageBytes,
                          java.net.URI deliveryUrl, String deliveryUsername, String deliveryPassword, String schema, String mm7Version,
                          VaspTls tls) {

    public VaspAccount {
        if (id == null || id.isBlank()) throw new ConfigException("id", "every VASP needs an id (its MM7 VASPID)");
        username = username == null ? id : username;
        if (username.isBlank() || username.indexOf(':') >= 0) throw new ConfigException("username", "must be non-empty and contain no ':'");
        if (password == null || password.isEmpty()) throw new ConfigException("password", "VASP '" + id + "' needs an HTTP Basic password");
        allowedSources = allowedSources == null ? List.of("127.0.0.1/32", "::1/128") : List.copyOf(allowedSources);
        for (int i = 0; i < allowedSources.size(); i++) {
            try {
                CidrBlock.parse(allowedSources.get(i));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("allowedSources[" + i + "]", e.getMessage());
            }
        }
        shortCodes = shortCodes == null ? List.of() : List.copyOf(shortCodes);
        for (int i = 0; i < shortCodes.size(); i++) {
            try {
                Address.shortCode(shortCodes.get(i));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("shortCodes[" + i + "]", e.getMessage());
            }
        }
        allowedSenders = allowedSenders == null ? List.of() : List.copyOf(allowedSenders);
        for (int i = 0; i < allowedSenders.size(); i++) {
            try {
                Address.parseMms(allowedSenders.get(i));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("allowedSenders[" + i + "]", e.getMessage());
            }
        }
        maxPerSecond = maxPerSecond == null ? 100.0 : maxPerSecond;
        if (!(maxPerSecond > 0 && maxPerSecond <= 1_000_000)) throw new ConfigException("maxPerSecond", "must be above 0 and at most 1000000, got " + maxPerSecond);
        burst = burst == null ? (int) Math.max(1, Math.ceil(maxPerSecond)) : burst;
        if (burst < 1 || burst > 10_000_000) throw new ConfigException("burst", "must be between 1 and 10000000, got " + burst);
        if (maxMessageBytes != null && maxMessageBytes < 1024) throw new ConfigException("maxMessageBytes", "must be at least 1024, got " + maxMessageBytes);
        if (deliveryUrl != null && (deliveryUrl.getScheme() == null || !deliveryUrl.getScheme().matches("https?") || deliveryUrl.getHost() == null)) {
            throw new ConfigException("deliveryUrl", "must be an http:// or https:// URL, got " + deliveryUrl);
        }
        if (deliveryUsername != null && deliveryPassword == null) throw new ConfigException("deliveryPassword", "needed with deliveryUsername");
        schema = schema == null ? "REL-6-MM7-1-4" : schema;
        try {
            org.openmmsc.mm7.codec.Mm7Namespace.of(schema);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("schema", e.getMessage());
        }
        mm7Version = mm7Version == null ? "6.8.0" : mm7Version;
        if (!mm7Version.matches("[0-9]{1,2}\\.[0-9]{1,2}\\.[0-9]{1,2}")) throw new ConfigException("mm7Version", "must look like 6.8.0, got " + mm7Version);
    }

    /** An account without per-VASP TLS settings. */
    public VaspAccount(String id, String username, String password, List<String> allowedSources, List<String> shortCodes,
                       List<String> allowedSenders, Double maxPerSecond, Integer burst, Integer maxMessageBytes,
                       java.net.URI deliveryUrl, String deliveryUsername, String deliveryPassword, String schema, String mm7Version) {
        this(id, username, password, allowedSources, shortCodes, allowedSenders, maxPerSecond, burst, maxMessageBytes, deliveryUrl,
                deliveryUsername, deliveryPassword, schema, mm7Version, null);
    }

    public String namespace() {
        return org.openmmsc.mm7.codec.Mm7Namespace.of(schema);
    }

    /** A loopback VASP with defaults, for tests and examples. */
    public static VaspAccount of(String id, String password, List<String> shortCodes) {
        return new VaspAccount(id, null, password, null, shortCodes, null, null, null, null, null, null, null, null, null, null);
    }

    /** Every sender address this VASP may use: its short codes, then its allowed senders. */
    public List<Address> senders() {
        java.util.List<Address> out = new java.util.ArrayList<>();
        for (String s : shortCodes) out.add(Address.shortCode(s));
        for (String s : allowedSenders) out.add(Address.parseMms(s));
        return out;
    }
}
