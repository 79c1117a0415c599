package org.openmmsc.mm1.codec;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class WapPushTest {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");
    private final WspPushCodec codec = new WspPushCodec();
    private final MmsDecoder decoder = new MmsDecoder();

    /** short_message of the submit_sm example in wap-push.md §3: UDH, WSP push header, notification. */
    @Test
    void singleSmsMatchesTheReferenceSubmitSm() throws DecodeException {
        byte[] push = codec.encode(WspPush.forMms(1, MmsCodecTest.NOTIFICATION_EXAMPLE));
        assertArrayEquals(HEX.parseHex("01 06 03 BE AF 84"), java.util.Arrays.copyOf(push, 6));
        List<byte[]> sms = WapPushSms.segment(push, 0, false);
        assertEquals(1, sms.size());
        assertEquals(65, sms.getFirst().length, "sm_length of the reference submit_sm");
        assertArrayEquals(HEX.parseHex("06 05 04 0B 84 23 F0 01 06 03 BE AF 84 8C 82"), java.util.Arrays.copyOf(sms.getFirst(), 15));
        WspPush decoded = codec.decode(WapPushSms.reassemble(sms));
        assertTrue(decoded.isMms());
        assertEquals(MmsCodecTest.exampleNotification(), decoder.decode(decoded.data().toByteArray()));
    }

    @Test
    void longPushesAreConcatenatedAndReassembledInAnyOrder() throws DecodeException {
        Random random = new Random(3);
        for (boolean sixteenBit : new boolean[] {false, true}) {
            for (int size : new int[] {133, 134, 128 * 2, 500, 1000}) {
                byte[] push = new byte[size];
                random.nextBytes(push);
                int reference = sixteenBit ? 0xBEEF : 0x42;
                List<byte[]> sms = WapPushSms.segment(push, reference, sixteenBit);
                int perPart = sixteenBit ? 127 : 128;
                int expectedParts = size <= 133 ? 1 : (size + perPart - 1) / perPart;
                assertEquals(expectedParts, sms.size(), "parts for " + size);
                for (byte[] segment : sms) {
                    assertTrue(segment.length <= WapPushSms.MAX_USER_DATA);
                    WapPushSms.Segment parsed = WapPushSms.parse(segment);
                    assertEquals(WapPushSms.WAP_PUSH_PORT, parsed.destinationPort());
                    assertEquals(WapPushSms.WAP_SOURCE_PORT, parsed.sourcePort());
                    if (sms.size() > 1) {
                        assertEquals(reference, parsed.reference());
                        assertEquals(sms.size(), parsed.total());
                    }
                }
                List<byte[]> shuffled = new ArrayList<>(sms);
                Collections.shuffle(shuffled, random);
                assertArrayEquals(push, WapPushSms.reassemble(shuffled));
            }
        }
    }

    @Test
    void inconsistentSegmentSetsAreTypedErrors() {
        byte[] push = new byte[300];
        List<byte[]> sms = WapPushSms.segment(push, 7, false);
        assertThrows(DecodeException.class, () -> WapPushSms.reassemble(sms.subList(0, 2)));
        List<byte[]> duplicate = new ArrayList<>(sms);
        duplicate.set(1, sms.get(0));
        assertThrows(DecodeException.class, () -> WapPushSms.reassemble(duplicate));
        List<byte[]> mixed = new ArrayList<>(sms);
        mixed.set(2, WapPushSms.segment(push, 8, false).get(2));
        assertThrows(DecodeException.class, () -> WapPushSms.reassemble(mixed));
        assertThrows(DecodeException.class, () -> WapPushSms.reassemble(List.of(new byte[] {9, 5})));
    }

    @Test
    void pushOfEveryMmscToPhonePdu() throws DecodeException {
        for (MessageType type : List.of(MessageType.M_NOTIFICATION_IND, MessageType.M_DELIVERY_IND,
                MessageType.M_READ_ORIG_IND, MessageType.M_CANCEL_REQ)) {
            MmsPdu pdu = new PduGenerator(type.ordinal()).generate(type);
            byte[] mms = new MmsEncoder().encode(pdu);
            byte[] push = codec.encode(WspPush.forMms(type.ordinal(), mms));
            List<byte[]> sms = WapPushSms.segment(push, type.ordinal(), false);
            WspPush decoded = codec.decode(WapPushSms.reassemble(sms));
            assertEquals("x-wap-application:mms.ua", decoded.applicationId());
            assertEquals(pdu, decoder.decode(decoded.data().toByteArray()));
        }
    }

    @Test
    void truncatedAndCorruptPushesGiveOnlyTheTypedError() {
        byte[] push = codec.encode(WspPush.forMms(9, MmsCodecTest.NOTIFICATION_EXAMPLE));
        Random random = new Random(5);
        for (int i = 0; i < 3000; i++) {
            byte[] bytes = i <= push.length ? java.util.Arrays.copyOf(push, i) : MmsCodecTest.corrupt(random, push);
            try {
                WspPush decoded = codec.decode(bytes);
                assertArrayEquals(codec.encode(decoded), codec.encode(codec.decode(codec.encode(decoded))));
            } catch (DecodeException expected) {
                assertTrue(expected.offset() >= 0);
            } catch (RuntimeException e) {
                fail("untyped " + e + " for " + HexFormat.of().formatHex(bytes), e);
            }
        }
    }
}
