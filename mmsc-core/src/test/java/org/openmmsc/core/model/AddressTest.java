package org.openmmsc.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class AddressTest {

    @Test
    void parsesEveryMmsForm() {
        assertEquals(Address.plmn("+4790000001"), Address.parseMms("+4790000001/TYPE=PLMN"));
        assertEquals(Address.shortCode("1234"), Address.parseMms("1234/TYPE=PLMN"));
        assertEquals(Address.email("user@example.com"), Address.parseMms("user@Example.COM"));
        assertEquals(new Address(Address.Type.IPV4, "10.1.2.3"), Address.parseMms("10.1.2.3/TYPE=IPv4"));
        assertEquals(new Address(Address.Type.IPV6, "2001:db8:0:0:0:0:0:1"), Address.parseMms("2001:db8::1/TYPE=IPv6"));
        assertEquals(Address.plmn("+4790000001"), Address.parseMms("+4790000001/type=plmn"));
    }

    @Test
    void formatsBackToTheMmsForm() {
        assertEquals("+4790000001/TYPE=PLMN", Address.plmn("+4790000001").toMms());
        assertEquals("1234/TYPE=PLMN", Address.shortCode("1234").toMms());
        assertEquals("user@example.com", Address.email("user@example.com").toMms());
        assertEquals("10.1.2.3/TYPE=IPv4", Address.parseMms("10.1.2.3/TYPE=IPv4").toMms());
    }

    @Test
    void refusesMalformedAddresses() {
        assertThrows(IllegalArgumentException.class, () -> Address.plmn("4790000001"));
        assertThrows(IllegalArgumentException.class, () -> Address.plmn("+0790000001"));
        assertThrows(IllegalArgumentException.class, () -> Address.plmn("+47900000011234567"));
        assertThrows(IllegalArgumentException.class, () -> Address.email("no-at-sign"));
        assertThrows(IllegalArgumentException.class, () -> Address.email("a@b@c"));
        assertThrows(IllegalArgumentException.class, () -> Address.parseMms("300.1.1.1/TYPE=IPv4"));
        assertThrows(IllegalArgumentException.class, () -> Address.parseMms("+4790000001/TYPE=X400"));
        assertThrows(IllegalArgumentException.class, () -> Address.shortCode("12"));
    }

    @Test
    void normalisesNationalAndInternationalNumberForms() {
        NumberNormalizer sweden = new NumberNormalizer("46", "0", "00", 6);
        assertEquals(Address.plmn("+46701234567"), sweden.normalize("070-123 45 67"));
        assertEquals(Address.plmn("+4790000001"), sweden.normalize("0047 90000001"));
        assertEquals(Address.plmn("+4790000001"), sweden.normalize("+47 900 00 001"));
        assertEquals(Address.shortCode("72345"), sweden.normalize("72345"));
        NumberNormalizer norway = new NumberNormalizer("47", "", "00", 6);
        assertEquals(Address.plmn("+4790000001"), norway.normalize("90000001"));
        assertEquals(Address.plmn("+4790000001"), norway.normalizeMms("90000001/TYPE=PLMN"));
        assertEquals(Address.email("a@b.no"), norway.normalizeMms("a@b.no"));
        assertThrows(IllegalArgumentException.class, () -> norway.normalize("90x00001"));
    }
}
