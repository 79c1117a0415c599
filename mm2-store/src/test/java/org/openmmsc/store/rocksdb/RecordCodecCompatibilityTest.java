package org.openmmsc.store.rocksdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openmmsc.core.model.Address;
import org.openmmsc.core.model.ContentType;
import org.openmmsc.core.model.DeliveryState;
import org.openmmsc.core.model.EncodedText;
import org.openmmsc.core.model.Interface;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.MessageClass;
import org.openmmsc.core.model.MessageId;
import org.openmmsc.core.model.MessagePart;
import org.openmmsc.core.model.Origin;
import org.openmmsc.core.model.Priority;
import org.openmmsc.core.model.Recipient;
import org.openmmsc.core.model.RecipientDelivery;
import org.openmmsc.core.model.Route;
import org.openmmsc.core.model.TimeSpec;
import org.openmmsc.core.spi.StoreException;

/**
 * Records written by the first format (captured from the codec as it was before format 2, commit
 * 5bf7d16) still read; format 2 keeps the sender's MMS version and the recipient's Report-Allowed.
 */
class RecordCodecCompatibilityTest {
    private static final Instant T = Instant.parse("2026-11-28T12:00:00Z");
    private static final MessageId ID = new MessageId("01KB4Z0000000000000000000A");
    /** A text message from +4790000001 to +4790000002 over MM1 (transaction tx-1), body inline. */
    private static final String MESSAGE_V1 = "010000001a30314b42345a303030303030303030303030303030303030304100000004504c4d4e0000000b2b343739303030303030310000000100000004504c4d4e0000000b2b3437393030303030303200000002544f0100000007486f6c69646179000000055554462d3800000008504552534f4e414c000000064e4f524d414c01000000006b0ac240000000000200000000000151800000000000010100000000000a746578742f706c61696e00000000000000034d4d310000000b2b343739303030303030310000000474782d31ffffffffffffffffffffffffffffffffffffffffffffffff01000000006b0c13c000000000000000010000000a746578742f706c61696e0000000000000000ffffffffffffffff000000026869";
    /** Its delivery after one notification: NOTIFIED, next look at +2 h. */
    private static final String DELIVERY_V1 = "010000001a30314b42345a30303030303030303030303030303030303030410000000000000004504c4d4e0000000b2b3437393030303030303200000002544f000000094c4f43414c5f4d4d3100000000000000084e4f544946494544000000044e4f4e450000000001000000006b0ade600000000001000000006b0c13c000000000ffffffff0000000201000000006b0ac24000000000ffffffff000000084143434550544544000000044e4f4e4500000016616363657074656420666f72204c4f43414c5f4d4d3101000000006b0ac24100000000000000084143434550544544000000084e4f544946494544000000044e4f4e4500000006707573686564000000000000000000";

    @Test
    void aFormatOneMessageReadsWithoutAnInterfaceVersion() {
        RecordCodec.StoredMessage stored = RecordCodec.decodeMessage(HexFormat.of().parseHex(MESSAGE_V1));
        Message m = stored.message();
        assertEquals(ID, m.id());
        assertEquals(Address.plmn("+4790000001"), m.originator());
        assertEquals(Interface.MM1, m.origin().iface());
        assertEquals("tx-1", m.origin().transactionId());
        assertNull(m.origin().interfaceVersion());
        assertArrayEquals("hi".getBytes(StandardCharsets.US_ASCII), m.parts().getFirst().content());
        assertEquals(T.plus(Duration.ofDays(1)), stored.expiresAt());
    }

    @Test
    void aFormatOneDeliveryReadsAsReportsAllowed() {
        RecipientDelivery d = RecordCodec.decodeDelivery(HexFormat.of().parseHex(DELIVERY_V1));
        assertEquals(ID, d.messageId());
        assertEquals(DeliveryState.NOTIFIED, d.state());
        assertEquals(T.plusSeconds(7200), d.nextAttemptAt());
        assertEquals(2, d.history().size());
        assertTrue(d.deliveryReportAllowed());
    }

    @Test
    void formatTwoKeepsTheVersionAndAForbiddenReport() {
        Message m = new Message(ID, Address.plmn("+4790000001"), List.of(Recipient.to(Address.plmn("+4790000002"))),
                new EncodedText("Holiday", "UTF-8"), MessageClass.PERSONAL, Priority.NORMAL, T, TimeSpec.after(Duration.ofDays(1)), null,
                true, true, false, null, ContentType.of("text/plain"),
                List.of(new MessagePart(ContentType.of("text/plain"), List.of(), "hi".getBytes(StandardCharsets.US_ASCII))),
                Origin.of(Interface.MM1, "+4790000001", "tx-1").withInterfaceVersion("1.0"));
        byte[] head = RecordCodec.encodeMessageHead(m, T.plus(Duration.ofDays(1)));
        Message back = RecordCodec.decodeMessage(RecordCodec.encodeMessageRecord(head, m, RecordCodec.INLINE, List.of())).message();
        assertEquals(m, back);
        assertEquals("1.0", back.origin().interfaceVersion());

        RecipientDelivery d = RecipientDelivery.accepted(ID, 0, Recipient.to(Address.plmn("+4790000002")), Route.local(), T, T,
                        T.plus(Duration.ofDays(1)))
                .moveTo(DeliveryState.FETCHED, T.plusSeconds(5), T.plusSeconds(605), "GET")
                .withDeliveryReportAllowed(false);
        RecipientDelivery dBack = RecordCodec.decodeDelivery(RecordCodec.encodeDelivery(d));
        assertEquals(d, dBack);
    }

    @Test
    void formatTwoIsFormatOneWithTheFlagAppended() {
        byte[] v1 = HexFormat.of().parseHex(DELIVERY_V1);
        byte[] v2 = RecordCodec.encodeDelivery(RecordCodec.decodeDelivery(v1));
        byte[] expected = java.util.Arrays.copyOf(v1, v1.length + 1);
        expected[0] = 2;
        expected[v1.length] = 1;
        assertArrayEquals(expected, v2, "same layout, written by the array writer");
    }

    @Test
    void anUnknownFormatIsRefused() {
        byte[] raw = HexFormat.of().parseHex(DELIVERY_V1);
        raw[0] = 9;
        assertThrows(StoreException.class, () -> RecordCodec.decodeDelivery(raw));
    }
}
