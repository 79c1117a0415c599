package org.openmmsc.mm1.codec;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An MMS address as carried in To/Cc/Bcc/From (OMA-TS-MMS_ENC §8, mms-encapsulation.md §7):
 * {@code +4712345678/TYPE=PLMN}, {@code 10.1.2.3/TYPE=IPv4}, {@code …/TYPE=IPv6}, an e-mail
 * addr-spec, or a short code. Parsing is lenient (phones send "/TYPE=PLNM" and bare numbers);
 * {@link #kind()} says what the text looks like.
 *
 * @param value the address without the "/TYPE=…" suffix
 * @param type  the TYPE token as sent ("PLMN", "IPv4", …), or null when there was none
 */
public record MmsAddress(String value, String type) {
    public enum Kind { PLMN, IPV4, IPV6, EMAIL, SHORT_CODE, OTHER_DEVICE, UNKNOWN }

    private static final Pattern PHONE = Pattern.compile("\\+?[0-9*#.\\-]+");
    private static final Pattern SHORT_CODE = Pattern.compile("[+*#]?[0-9]{1,8}|[A-Za-z0-9]{1,11}");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f]{1,4}(:[0-9A-Fa-f]{1,4}){7}");

    public MmsAddress {
        if (value == null) {
            throw new IllegalArgumentException("address value required");
        }
    }

    public static MmsAddress parse(String text) {
        int slash = text.lastIndexOf("/TYPE=");
        if (slash < 0) {
            slash = text.toUpperCase(Locale.ROOT).lastIndexOf("/TYPE=");
        }
        if (slash >= 0) {
            return new MmsAddress(text.substring(0, slash), text.substring(slash + 6));
        }
        return new MmsAddress(text, null);
    }

    public static MmsAddress plmn(String number) {
        return new MmsAddress(number, "PLMN");
    }

    public static MmsAddress email(String address) {
        return new MmsAddress(address, null);
    }

    public Kind kind() {
        if (type != null) {
            return switch (type.toUpperCase(Locale.ROOT)) {
                case "PLMN" -> Kind.PLMN;
                case "IPV4" -> IPV4.matcher(value).matches() ? Kind.IPV4 : Kind.UNKNOWN;
                case "IPV6" -> IPV6.matcher(value).matches() ? Kind.IPV6 : Kind.UNKNOWN;
                // A misspelt PLMN type (seen in the field as "PLNM") on a phone number is still a number.
                default -> PHONE.matcher(value).matches() ? Kind.PLMN : Kind.OTHER_DEVICE;
            };
        }
        if (value.indexOf('@') > 0) {
            return Kind.EMAIL;
        }
        if (SHORT_CODE.matcher(value).matches()) {
            return Kind.SHORT_CODE;
        }
        return PHONE.matcher(value).matches() ? Kind.PLMN : Kind.UNKNOWN;
    }

    /** The wire text, e.g. "+4712345678/TYPE=PLMN". */
    public String toWireText() {
        return type == null ? value : value + "/TYPE=" + type;
    }

    public EncodedString toEncodedString() {
        return EncodedString.of(toWireText());
    }

    @Override
    public String toString() {
        return toWireText();
    }
}
