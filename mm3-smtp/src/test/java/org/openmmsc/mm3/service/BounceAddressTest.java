package org.openmmsc.mm3.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.openmmsc.core.model.DeliveryKey;
import org.openmmsc.core.model.MessageId;

class BounceAddressTest {
    private final DeliveryKey key = new DeliveryKey(MessageId.generate(Clock.systemUTC()), 3);

    @Test
    void theReturnPathNamesTheDeliveryAndReadsBack() {
        String path = BounceAddress.of(key, "mms.example.com");
        assertEquals("bounce+" + key.messageId().value() + ".3@mms.example.com", path);
        assertEquals(key, BounceAddress.parse(path, "mms.example.com"));
        assertEquals(key, BounceAddress.parse(path.toLowerCase(), "MMS.example.com"), "MTAs may re-case an address");
        assertTrue(BounceAddress.isBounceAddress(path, "mms.example.com"));
    }

    @Test
    void anythingElseNamesNothing() {
        assertNull(BounceAddress.parse(BounceAddress.of(key, "mms.example.com"), "other.example.com"));
        assertFalse(BounceAddress.isBounceAddress("004790000001@mms.example.com", "mms.example.com"));
        for (String bad : new String[] {"bounce+@mms.example.com", "bounce+NOTANID.1@mms.example.com", "bounce+" + key.messageId().value() + "@mms.example.com",
                "bounce+" + key.messageId().value() + ".-1@mms.example.com", "bounce+" + key.messageId().value() + ".x@mms.example.com",
                "bounce+" + key.messageId().value() + ".99999999999@mms.example.com"}) {
            assertNull(BounceAddress.parse(bad, "mms.example.com"), bad);
        }
    }
}
