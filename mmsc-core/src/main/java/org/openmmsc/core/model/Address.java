package org.openmmsc.core.model;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A sender or recipient address in one of the forms TS 23.140 / OMA MMS allow. {@code value} is
 * canonical: an E.164 number with a leading '+', a lower-cased domain in e-mail, a short code's
 * digits, an IP address in its normal textual form.
 */
public record Address(Type type, String value) {

    public enum Type { PLMN, EMAIL, SHORT_CODE, IPV4, IPV6 }

    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{5,14}");
    private static final Pattern SHORT_CODE = Pattern.compile("[0-9A-Za-z]{3,8}");
    // RFC 5322 addr-spec, dot-atom local part (quoted local parts are not accepted by MMSCs in practice).
    private static final Pattern EMAIL = Pattern.compile(
            "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                    + "@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])");

    public Address {
        Objects.requireNonNull(type, "address type");
        Objects.requireNonNull(value, "address value");
        switch (type) {
            case PLMN -> require(E164.matcher(value).matches(), "not an E.164 number with '+': " + value);
            case SHORT_CODE -> require(SHORT_CODE.matcher(value).matches(), "not a short code (3-8 digits or letters): " + value);
            case EMAIL -> {
                require(value.length() <= 254 && EMAIL.matcher(value).matches(), "not an e-mail addr-spec: " + value);
                int at = value.lastIndexOf('@');
                require(at <= 64, "e-mail local part longer than 64 characters: " + value);
                value = value.substring(0, at + 1) + value.substring(at + 1).toLowerCase(Locale.ROOT);
            }
            case IPV4 -> require(IPV4.matcher(value).matches(), "not an IPv4 address: " + value);
            case IPV6 -> value = canonicalIpv6(value);
        }
    }

    public static Address plmn(String e164) { return new Address(Type.PLMN, e164); }
    public static Address email(String addrSpec) { return new Address(Type.EMAIL, addrSpec); }
    public static Address shortCode(String code) { return new Address(Type.SHORT_CODE, code); }

    /**
     * Parses the MMS encapsulation form: {@code +4790000001/TYPE=PLMN}, {@code 1234/TYPE=PLMN}
     * (a short code, too short for E.164), {@code user@host}, {@code 10.0.0.1/TYPE=IPv4},
     * {@code ::1/TYPE=IPv6}. A bare number without /TYPE is accepted as PLMN (many phones send it).
     * Numbers must already be international here; use {@link NumberNormalizer} for national forms.
     */
    public static Address parseMms(String text) {
        Objects.requireNonNull(text, "address");
        String trimmed = text.trim();
        int slash = trimmed.lastIndexOf("/TYPE=");
        if (slash < 0) slash = indexOfIgnoreCase(trimmed, "/type=");
        if (slash >= 0) {
            String body = trimmed.substring(0, slash);
            String type = trimmed.substring(slash + 6).toUpperCase(Locale.ROOT);
            return switch (type) {
                case "PLMN" -> body.startsWith("+") ? plmn(body) : shortCode(body);
                case "IPV4" -> new Address(Type.IPV4, body);
                case "IPV6" -> new Address(Type.IPV6, body);
                default -> throw new IllegalArgumentException("unknown address type '" + type + "' in " + text);
            };
        }
        if (trimmed.indexOf('@') >= 0) return email(trimmed);
        if (trimmed.startsWith("+")) return plmn(trimmed);
        return shortCode(trimmed);
    }

    /** The MMS encapsulation form of this address. */
    public String toMms() {
        return switch (type) {
            case PLMN, SHORT_CODE -> value + "/TYPE=PLMN";
            case EMAIL -> value;
            case IPV4 -> value + "/TYPE=IPv4";
            case IPV6 -> value + "/TYPE=IPv6";
        };
    }

    public boolean isNumber() {
        return type == Type.PLMN || type == Type.SHORT_CODE;
    }

    @Override
    public String toString() {
        return toMms();
    }

    private static String canonicalIpv6(String value) {
        require(value.indexOf(':') >= 0 && value.matches("[0-9A-Fa-f:.]+"), "not an IPv6 address: " + value);
        try {
            return InetAddress.getByName(value).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv6 address: " + value);
        }
    }

    private static int indexOfIgnoreCase(String s, String part) {
        return s.toLowerCase(Locale.ROOT).lastIndexOf(part);
    }

    private static void require(boolean condition, String reason) {
        if (!condition) throw new IllegalArgumentException(reason);
    }
}
