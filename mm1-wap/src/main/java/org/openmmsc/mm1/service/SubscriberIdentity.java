package org.openmmsc.mm1.service;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.openmmsc.core.config.CidrBlock;
import org.openmmsc.core.model.Address;
import org.openmmsc.core.model.NumberNormalizer;

/**
 * Who is asking: the MSISDN the WAP gateway put in a configured header, believed only when the
 * request comes from a trusted gateway address. Anyone else can write such a header.
 */
public final class SubscriberIdentity {
    private final List<String> headers;
    private final List<CidrBlock> trustedGateways;
    private final NumberNormalizer numbers;

    /**
     * @param trustedGateways the configured gateway networks as CIDR blocks (validated by Mm1Config)
     */
    public SubscriberIdentity(List<String> headers, List<String> trustedGateways, NumberNormalizer numbers) {
        this.headers = List.copyOf(headers);
        this.trustedGateways = trustedGateways.stream().map(CidrBlock::parse).toList();
        this.numbers = numbers;
    }

    public boolean trusted(InetAddress source) {
        return CidrBlock.anyContains(trustedGateways, source);
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
