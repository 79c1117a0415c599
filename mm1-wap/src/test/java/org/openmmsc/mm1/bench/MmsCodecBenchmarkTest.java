package org.openmmsc.mm1.bench;

import org.junit.jupiter.api.Test;
import org.openmmsc.mm1.codec.DecodeException;
import org.openmmsc.mm1.codec.MmsEncoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keeps the benchmark honest: its inputs are what the docs say, and every operation works. */
class MmsCodecBenchmarkTest {
    @Test
    void benchmarkInputsAreAsDocumented() throws DecodeException {
        MmsCodecBenchmark benchmark = new MmsCodecBenchmark();
        benchmark.setUp();
        int size = benchmark.sendReqSize();
        assertEquals(30 * 1024, size, "30 KB m-send-req");
        assertEquals(benchmark.decodeSendReq(), benchmark.decodeSendReq());
        assertEquals(size, benchmark.encodeSendReqContiguous().length);
        // Headers and first framing, SMIL body, second framing, JPEG body: bodies are their own buffers.
        assertEquals(4, benchmark.encodeSendReqGathered().length);
        assertEquals(new MmsEncoder().encode(MmsCodecBenchmark.notificationIndication()).length,
                benchmark.encodeNotification().length);
        assertEquals(MmsCodecBenchmark.notificationIndication(), benchmark.decodeNotification());
    }
}
