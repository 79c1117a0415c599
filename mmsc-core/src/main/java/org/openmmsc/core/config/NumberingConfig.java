package org.openmmsc.core.config;

import org.openmmsc.core.model.NumberNormalizer;

/**
 * The operator's numbering plan, for turning national and international-prefix forms into E.164.
 * Defaults: Norway-style lab (country code 47, no trunk prefix, "00" international prefix).
 */
public record NumberingConfig(String countryCode, String nationalPrefix, String internationalPrefix, Integer maxShortCodeLength) {
    public NumberingConfig {
        countryCode = countryCode == null ? "47" : countryCode;
        nationalPrefix = nationalPrefix == null ? "" : nationalPrefix;
        internationalPrefix = internationalPrefix == null ? "00" : internationalPrefix;
        maxShortCodeLength = Checks.range("maxShortCodeLength", maxShortCodeLength, 6, 0, 8);
        try {
            normalizer(countryCode, nationalPrefix, internationalPrefix, maxShortCodeLength);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage().startsWith("country") ? "countryCode"
                    : e.getMessage().startsWith("national") ? "nationalPrefix" : "internationalPrefix", e.getMessage());
        }
    }

    public static NumberingConfig defaults() {
        return new NumberingConfig(null, null, null, null);
    }

    public NumberNormalizer normalizer() {
        return normalizer(countryCode, nationalPrefix, internationalPrefix, maxShortCodeLength);
    }

    private static NumberNormalizer normalizer(String cc, String np, String ip, int maxShort) {
        return new NumberNormalizer(cc, np, ip, maxShort);
    }
}
