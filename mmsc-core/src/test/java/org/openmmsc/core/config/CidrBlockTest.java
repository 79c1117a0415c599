package org.openmmsc.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class CidrBlockTest {
    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void matchesWithinItsPrefixOnly() throws Exception {
        CidrBlock ten = CidrBlock.parse("10.1.0.0/16");
        assertTrue(ten.contains(ip("10.1.255.7")));
        assertFalse(ten.contains(ip("10.2.0.1")));
        assertTrue(CidrBlock.parse("10.0.0.0/13").contains(ip("10.7.255.255")));
        assertFalse(CidrBlock.parse("10.0.0.0/13").contains(ip("10.8.0.0")));
        assertTrue(CidrBlock.parse("192.0.2.9").contains(ip("192.0.2.9")));
        assertFalse(CidrBlock.parse("192.0.2.9").contains(ip("192.0.2.10")));
        assertTrue(CidrBlock.parse("0.0.0.0/0").contains(ip("203.0.113.1")));
    }

    @Test
    void keepsAddressFamiliesApartButReadsMappedIpv4() throws Exception {
        assertTrue(CidrBlock.parse("2001:db8::/32").contains(ip("2001:db8:1::5")));
        assertFalse(CidrBlock.parse("2001:db8::/32").contains(ip("10.1.0.1")));
        assertFalse(CidrBlock.parse("127.0.0.0/8").contains(ip("::1")));
        assertTrue(CidrBlock.parse("127.0.0.0/8").contains(InetAddress.getByAddress(
                new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 127, 0, 0, 1})));
    }

    @Test
    void refusesNamesAndBadPrefixesWithoutLookingAnythingUp() {
        assertThrows(IllegalArgumentException.class, () -> CidrBlock.parse("example.com"));
        assertThrows(IllegalArgumentException.class, () -> CidrBlock.parse("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> CidrBlock.parse("::/129"));
        assertThrows(IllegalArgumentException.class, () -> CidrBlock.parse("10.0.0.0/x"));
        assertThrows(IllegalArgumentException.class, () -> CidrBlock.parse(" "));
    }

    @Test
    void printsItsCanonicalForm() throws Exception {
        assertEquals("10.1.0.0/16", CidrBlock.parse(" 10.1.0.0/16 ").toString());
        assertEquals(CidrBlock.parse("10.1.0.0/16"), CidrBlock.parse("10.1.0.0/16"));
        assertTrue(CidrBlock.anyContains(List.of(CidrBlock.parse("10.0.0.0/8"), CidrBlock.parse("::1")), ip("::1")));
    }
}
