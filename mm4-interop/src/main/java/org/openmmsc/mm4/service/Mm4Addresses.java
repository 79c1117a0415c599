package org.openmmsc.mm4.service;

import java.util.Locale;
import org.openmmsc.core.model.Address;
import org.openmmsc.core.model.NumberNormalizer;

/** MM4 address forms: {@code +4790000001/TYPE=PLMN@mms.mnc001.mcc242.gprs} ⇄ the core's {@link Address}. */
final class Mm4Addresses {
    private Mm4Addresses() {}

    /** Parses an MM4 header or envelope address, dropping the MMSC domain after /TYPE=…; IllegalArgumentException if it is none. */
    static Address parse(String written, NumberNormalizer numbers) {
        if (written == null || written.isBlank()) throw new IllegalArgumentException("no address");
        String s = written.strip();
        int type = s.toUpperCase(Locale.ROOT).indexOf("/TYPE=");
        if (type >= 0) {
            int at = s.indexOf('@', type);
            if (at >= 0) s = s.substring(0, at);
            return numbers.normalizeMms(s);
        }
        int at = s.indexOf('@');
        if (at > 0 && s.substring(0, at).matches("\\+?[0-9]{6,15}")) return numbers.normalize(s.substring(0, at));
        return numbers.normalizeMms(s);
    }

    /** The MM4 form of an address at a domain: numbers get "/TYPE=PLMN@domain", e-mail stays as it is. */
    static String withDomain(Address address, String domain) {
        return address.type() == Address.Type.EMAIL ? address.value() : address.toMms() + "@" + domain;
    }

    /** The domain of an addr-spec, lower-cased, or "" if it has none. */
    static String domainOf(String addrSpec) {
        int at = addrSpec.lastIndexOf('@');
        return at < 0 ? "" : addrSpec.substring(at + 1).toLowerCase(Locale.ROOT);
    }

    static String localPartOf(String addrSpec) {
        int at = addrSpec.lastIndexOf('@');
        return at < 0 ? addrSpec : addrSpec.substring(0, at);
    }
}
