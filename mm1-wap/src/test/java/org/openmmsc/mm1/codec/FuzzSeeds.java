package org.openmmsc.mm1.codec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the seed inputs of {@link CodecFuzzTest} (generated PDUs, never corpus files). Run once by
 * hand: {@code java -cp target/test-classes:target/classes org.openmmsc.mm1.codec.FuzzSeeds}.
 */
final class FuzzSeeds {
    private FuzzSeeds() {
    }

    public static void main(String[] args) throws Exception {
        Path base = Path.of("src/test/resources/org/openmmsc/mm1/codec/CodecFuzzTestInputs");
        Path mms = Files.createDirectories(base.resolve("mmsDecoder"));
        Path push = Files.createDirectories(base.resolve("wspPushDecoder"));
        Path sms = Files.createDirectories(base.resolve("smsReassembly"));
        MmsEncoder encoder = new MmsEncoder();
        WspPushCodec pushCodec = new WspPushCodec();
        Files.write(mms.resolve("seed-notification"), MmsCodecTest.NOTIFICATION_EXAMPLE);
        for (MessageType type : MessageType.values()) {
            byte[] pdu = encoder.encode(new PduGenerator(type.ordinal()).generate(type));
            if (pdu.length < 4096) {
                Files.write(mms.resolve("seed-" + type.wireName()), pdu);
            }
        }
        Files.write(push.resolve("seed-mms-push"), pushCodec.encode(WspPush.forMms(1, MmsCodecTest.NOTIFICATION_EXAMPLE)));
        List<byte[]> segments = WapPushSms.segment(new byte[300], 9, false);
        byte[] seed = new byte[1 + segments.size() * 141];
        int p = 0;
        seed[p++] = (byte) segments.size();
        for (byte[] segment : segments) {
            seed[p++] = (byte) segment.length;
            System.arraycopy(segment, 0, seed, p, segment.length);
            p += segment.length;
        }
        Files.write(sms.resolve("seed-three-segments"), java.util.Arrays.copyOf(seed, p));
    }
}
