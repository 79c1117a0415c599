package org.openmmsc.core.config;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Static routing (MM5 number-range tables). Longest prefix wins between local ranges and peers.
 *
 * @param localPrefixes  E.164 prefixes (with '+') served by this MMSC; default "+" = every number (the lab)
 * @param peers          number ranges of peer carriers, reached over MM4
 * @param shortCodes     short code → VASP id that receives MO traffic to it over MM7
 * @param emailEnabled   whether e-mail recipients are accepted (MM3 out)
 * @param legacyPrefixes E.164 prefixes of local subscribers whose handsets cannot do MMS (route LEGACY_SMS); default none
 */
public record RoutingConfig(List<String> localPrefixes, List<PeerRange> peers, Map<String, String> shortCodes, Boolean emailEnabled,
                            List<String> legacyPrefixes) {

    private static final Pattern PREFIX = Pattern.compile("\\+[0-9]{0,15}");

    /** A peer carrier's number range and the MM4 domain of its MMSC. */
    public record PeerRange(String prefix, String domain) {
        public PeerRange {
            if (prefix == null || !PREFIX.matcher(prefix).matches()) throw new ConfigException("prefix", "must be '+' followed by digits, got " + prefix);
            if (domain == null || domain.isBlank()) throw new ConfigException("domain", "must name the peer's MM4 domain");
        }
    }

    /** Without legacy-handset ranges. */
    public RoutingConfig(List<String> localPrefixes, List<PeerRange> peers, Map<String, String> shortCodes, Boolean emailEnabled) {
        this(localPrefixes, peers, shortCodes, emailEnabled, null);
    }

    public RoutingConfig {
        localPrefixes = localPrefixes == null ? List.of("+") : List.copyOf(localPrefixes);
        for (int i = 0; i < localPrefixes.size(); i++) {
            if (!PREFIX.matcher(localPrefixes.get(i)).matches()) {
                throw new ConfigException("localPrefixes[" + i + "]", "must be '+' followed by digits, got " + localPrefixes.get(i));
            }
        }
        peers = peers == null ? List.of() : List.copyOf(peers);
        shortCodes = shortCodes == null ? Map.of() : Map.copyOf(shortCodes);
        emailEnabled = emailEnabled == null ? Boolean.TRUE : emailEnabled;
        legacyPrefixes = legacyPrefixes == null ? List.of() : List.copyOf(legacyPrefixes);
        for (int i = 0; i < legacyPrefixes.size(); i++) {
            if (!PREFIX.matcher(legacyPrefixes.get(i)).matches()) {
                throw new ConfigException("legacyPrefixes[" + i + "]", "must be '+' followed by digits, got " + legacyPrefixes.get(i));
            }
        }
    }

    public static RoutingConfig defaults() {
        return new RoutingConfig(null, null, null, null, null);
    }
}
