package org.openmmsc.mm1.service;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.openmmsc.core.model.Address;
import org.openmmsc.core.model.NumberNormalizer;

/**
 * Who is asking: the MSISDN the WAP gateway put in a configured header, believed only when the
 * request comes from a trusted gateway address. Anyone else can write such a header.
 */
public final class SubscriberIdentity {
    private final List<String> headers;
    private final boolean trustIpv4Loopback;
    private final boolean trustIpv6Loopback;
    private final NumberNormalizer numbers;

    /**
     * @param trustedGateways the configured networks; only the loopback ones are supported (see Mm1Config)
     */
    public SubscriberIdentity(List<String> headers, List<String> trustedGateways, NumberNormalizer numbers) {
        this.headers = List.copyOf(headers);
        this.trustIpv4Loopback = trustedGateways.contains("127.0.0.0/8");
        this.trustIpv6Loopback = trustedGateways.contains("::1/128");
        this.numbers = numbers;
    }

    public boolean trusted(InetAddress source) {
        // Minimal private check: the shared CIDR matcher is in mm3-smtp/mm7-soap, which this module must not depend on.
        if (source == null || !source.isLoopbackAddress()) return false;
        return source instanceof java.net.Inet6Address ? trustIpv6Loopback : trustIpv4Loopback;
    }

    /** The subscriber's number, or empty when the source is untrusted or no header names a valid number. */
    public Optional<Address> resolve(InetAddress source, Function<String, String> header) {
        if (!trusted(source)) return Optional.empty();
        for (String name : headers) {
            String value = header.apply(name);
            if (value == null || value.isBlank()) continue;
            try {
                Address a = numbers.normalizeMms(value.strip());
                return a.type() == Address.Type.PLMN ? Optional.of(a) : Optional.empty();
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
