package org.openmmsc.mm4.bench;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.openmmsc.core.model.ContentType;
import org.openmmsc.core.model.MessageClass;
import org.openmmsc.core.model.MessagePart;
import org.openmmsc.core.model.Priority;
import org.openmmsc.core.model.TimeSpec;
import org.openmmsc.mm3.mime.MimeCodec;
import org.openmmsc.mm4.codec.Mm4Codec;
import org.openmmsc.mm4.codec.Mm4Pdu;

/**
 * CPU time of decoding one inbound MM4_forward.REQ (the Mm4LoadBenchmark's 30 KB message: SMIL and a
 * 21,500-byte binary part in base64), MIME and MM4 together, on one thread. A measurement program,
 * not a test: thread CPU time, so neighbours' load on a shared machine moves it much less than a
 * rate. Arguments: {@code [iterations] [rounds]} (default 20,000 and 5).
 */
public final class Mm4DecodeMeasurement {
    private Mm4DecodeMeasurement() {}

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        byte[] image = new byte[21_500];
        new java.util.Random(42).nextBytes(image);
        List<MessagePart> parts = List.of(
                new MessagePart(ContentType.parse("application/smil"), List.of(new MessagePart.Header("Content-ID", "<smil>")),
                        "<smil><body><par><img src=\"cid:img\"/></par></body></smil>".getBytes(StandardCharsets.US_ASCII)),
                new MessagePart(ContentType.parse("image/jpeg"), List.of(new MessagePart.Header("Content-ID", "<img>")), image));
        Mm4Pdu.ForwardRequest req = new Mm4Pdu.ForwardRequest("6.10.0", "TX-000000000001", "A-MSG", "+4790000001/TYPE=PLMN",
                List.of("+4690000002/TYPE=PLMN"), List.of(), "load", Instant.now(), "+4790000001/TYPE=PLMN@mms.a.test", false,
                "system-user@mms.a.test", MessageClass.PERSONAL, Priority.NORMAL, TimeSpec.after(Duration.ofHours(1)), false, null, null,
                false, null, List.of(), List.of(), null, null, null, null, null, null, null, null, null, null, null, null, 0,
                new ContentType("multipart/related", Map.of("type", "application/smil", "start", "<smil>")), parts, null);
        MimeCodec mime = new MimeCodec();
        Mm4Codec codec = new Mm4Codec(mime);
        byte[] wire = codec.encodeForward(req);
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int round = 0; round <= rounds; round++) {
            long cpu = threads.getCurrentThreadCpuTime();
            long allocated = threads.getCurrentThreadAllocatedBytes();
            long sink = 0;
            for (int i = 0; i < iterations; i++) {
                Mm4Pdu pdu = codec.decode(mime.parse(wire));
                sink += ((Mm4Pdu.ForwardRequest) pdu).parts().get(1).content().length;
            }
            double us = (threads.getCurrentThreadCpuTime() - cpu) / 1e3 / iterations;
            double kb = (threads.getCurrentThreadAllocatedBytes() - allocated) / 1e3 / iterations;
            System.out.printf("%s: %d decodes of %d bytes, %.1f µs CPU and %.1f KB allocated each (%d)%n", round == 0 ? "warm-up" : "round " + round,
                    iterations, wire.length, us, kb, sink);
        }
    }
}
