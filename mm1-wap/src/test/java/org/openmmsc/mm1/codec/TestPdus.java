package org.openmmsc.mm1.codec;

import java.nio.file.Path;

/** Test fixtures shared with other packages' tests. */
public final class TestPdus {
    private TestPdus() {
    }

    public static MmsPdu generate(long seed, MessageType type) {
        return new PduGenerator(seed).generate(type);
    }

    public static byte[] notificationExample() {
        return MmsCodecTest.NOTIFICATION_EXAMPLE.clone();
    }

    public static Path corpusDirectory() {
        return CorpusIndex.corpusDirectory();
    }
}
