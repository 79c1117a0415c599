package org.openmmsc.mm1.codec;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Jazzer fuzz tests, one per decoder entry point. In a normal test run each replays its committed
 * regression inputs (src/test/resources/org/openmmsc/mm1/codec/CodecFuzzTestInputs/METHOD/); with
 * JAZZER_FUZZ=1 it fuzzes (see docs/performance.md for the command). A finding is any exception other
 * than DecodeException, or a decoded PDU whose encoding does not decode back to the same encoding.
 */
class CodecFuzzTest {
    private static final DecodeLimits SMALL_LIMITS = new DecodeLimits(64 * 1024, 32, 64, 3, 1024);
    private final MmsDecoder decoder = new MmsDecoder(SMALL_LIMITS);
    private final MmsEncoder encoder = new MmsEncoder();
    private final WspPushCodec pushCodec = new WspPushCodec(SMALL_LIMITS);

    @FuzzTest(maxDuration = "10m")
    void mmsDecoder(byte[] input) {
        try {
            MmsPdu pdu = decoder.decode(input);
            byte[] encoded = encoder.encode(pdu);
            byte[] again = encoder.encode(decoder.decode(encoded));
            if (!Arrays.equals(encoded, again)) {
                throw new AssertionError("re-encoding is not stable");
            }
        } catch (DecodeException expected) {
            checkOffset(expected, input.length);
        }
    }

    @FuzzTest(maxDuration = "5m")
    void wspPushDecoder(byte[] input) {
        try {
            WspPush push = pushCodec.decode(input);
            byte[] encoded = pushCodec.encode(push);
            if (!Arrays.equals(encoded, pushCodec.encode(pushCodec.decode(encoded)))) {
                throw new AssertionError("push re-encoding is not stable");
            }
            if (push.isMms()) {
                mmsDecoder(push.data().toByteArray());
            }
        } catch (DecodeException expected) {
            checkOffset(expected, input.length);
        }
    }

    @FuzzTest(maxDuration = "5m")
    void smsReassembly(FuzzedDataProvider data) {
        int count = data.consumeInt(0, 6);
        List<byte[]> segments = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            segments.add(data.consumeBytes(data.consumeInt(0, 140)));
        }
        try {
            WapPushSms.reassemble(segments);
        } catch (DecodeException expected) {
            // Typed rejection is the expected outcome for most inputs.
        }
        try {
            WapPushSms.deliverUserData(data.consumeRemainingAsBytes(), data.consumeBoolean());
        } catch (DecodeException expected) {
            // As above.
        }
    }

    private static void checkOffset(DecodeException error, int length) {
        if (error.offset() < 0 || error.offset() > length) {
            throw new AssertionError("offset " + error.offset() + " outside input of " + length);
        }
    }
}
