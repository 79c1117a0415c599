package org.openmmsc.core.model;

import java.util.Objects;

/**
 * Turns the number forms subscribers and peers write (national "0 90 00 00 01", international
 * "00 47 90000001", "+47-900-00-001") into E.164 with '+', using the operator's rules. Digits
 * too short for E.164 are short codes.
 *
 * @param countryCode          the home country calling code without '+', e.g. "47"
 * @param nationalPrefix       trunk prefix dialled before national numbers ("0"), or "" if none
 * @param internationalPrefix  prefix dialled before a country code ("00"), or "" if none
 * @param maxShortCodeLength   digit strings up to this length are short codes
 */
public record NumberNormalizer(String countryCode, String nationalPrefix, String internationalPrefix, int maxShortCodeLength) {

    public NumberNormalizer {
        Objects.requireNonNull(countryCode, "countryCode");
        Objects.requireNonNull(nationalPrefix, "nationalPrefix");
        Objects.requireNonNull(internationalPrefix, "internationalPrefix");
        if (!countryCode.matches("[1-9][0-9]{0,2}")) throw new IllegalArgumentException("country code must be 1-3 digits: " + countryCode);
        if (!nationalPrefix.matches("[0-9]*")) throw new IllegalArgumentException("national prefix must be digits: " + nationalPrefix);
        if (!internationalPrefix.matches("[0-9]*")) throw new IllegalArgumentException("international prefix must be digits: " + internationalPrefix);
        if (maxShortCodeLength < 0 || maxShortCodeLength > 8) throw new IllegalArgumentException("max short code length must be 0-8");
    }

    /** Normalises a number written by a person or a peer; throws IllegalArgumentException if it is not one. */
    public Address normalize(String written) {
        Objects.requireNonNull(written, "number");
        String compact = compact(written.strip());
        if (compact.startsWith("+")) return Address.plmn("+" + digits(compact.substring(1), written));
        String digits = digits(compact, written);
        if (digits.length() <= maxShortCodeLength) return Address.shortCode(digits);
        if (!internationalPrefix.isEmpty() && digits.startsWith(internationalPrefix)) {
            return Address.plmn("+" + digits.substring(internationalPrefix.length()));
        }
        if (!nationalPrefix.isEmpty() && digits.startsWith(nationalPrefix)) {
            return Address.plmn("+" + countryCode + digits.substring(nationalPrefix.length()));
        }
        if (nationalPrefix.isEmpty() && !digits.startsWith(countryCode)) {
            // Countries without a trunk prefix (e.g. Norway) dial national numbers bare.
            return Address.plmn("+" + countryCode + digits);
        }
        return Address.plmn("+" + digits);
    }

    /** Parses an MMS-form address, normalising a number that is not yet international. */
    public Address normalizeMms(String text) {
        String trimmed = text.strip();
        int slash = trimmed.toUpperCase(java.util.Locale.ROOT).lastIndexOf("/TYPE=PLMN");
        if (slash >= 0) return normalize(trimmed.substring(0, slash));
        if (trimmed.indexOf('@') < 0 && trimmed.indexOf('/') < 0) return normalize(trimmed);
        return Address.parseMms(trimmed);
    }

    /** Without the separators people write (regex \s white space, '-', '(', ')', '.'); a loop, not a regex compiled per call (this runs per recipient). */
    private static String compact(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean separator = c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r' || c == '-' || c == '(' || c == ')' || c == '.';
            if (separator && out == null) out = new StringBuilder(s.length()).append(s, 0, i);
            else if (!separator && out != null) out.append(c);
        }
        return out == null ? s : out.toString();
    }

    private static String digits(String s, String original) {
        if (s.isEmpty() || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("not a phone number: " + original);
        }
        return s;
    }
}
