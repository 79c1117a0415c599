package org.openmmsc.mm1.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openmmsc.mm1.codec.ByteSlice;
import org.openmmsc.mm1.codec.ContentType;
import org.openmmsc.mm1.codec.DecodeException;
import org.openmmsc.mm1.codec.HeaderValue;
import org.openmmsc.mm1.codec.MessageBody;
import org.openmmsc.mm1.codec.MmsDecoder;
import org.openmmsc.mm1.codec.MmsEncoder;
import org.openmmsc.mm1.codec.MmsField;
import org.openmmsc.mm1.codec.MmsHeaders;
import org.openmmsc.mm1.codec.MmsPdu;
import org.openmmsc.mm1.codec.Parameter;
import org.openmmsc.mm1.codec.Part;
import org.openmmsc.mm1.codec.WspHeader;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Decode and encode of a 30 KB two-part m-send-req and of an m-notification-ind. Not run by
 * {@code mvn verify}; the run command is in docs/performance.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MmsCodecBenchmark {
    private final MmsDecoder decoder = new MmsDecoder();
    private final MmsEncoder encoder = new MmsEncoder();
    private byte[] sendReqBytes;
    private MmsPdu sendReq;
    private byte[] notificationBytes;
    private MmsPdu notification;

    /** The benchmark's m-send-req: SMIL plus a 29 KB JPEG-sized body, headers as a phone sends them. */
    public static MmsPdu sendRequest() {
        String smil = "<smil><head><layout><root-layout/><region id=\"Image\" top=\"0\" height=\"100%\"/></layout></head>"
                + "<body><par dur=\"5000ms\"><img src=\"photo.jpg\" region=\"Image\"/></par></body></smil>";
        // Sized so the whole PDU is 30 KB (30,720 octets).
        byte[] jpeg = new byte[30_350];
        new Random(1).nextBytes(jpeg);
        Part smilPart = Part.of(ContentType.of("application/smil", Parameter.of("Charset", "utf-8"),
                Parameter.of("Name", "smil.xml")), ByteSlice.wrap(smil.getBytes(StandardCharsets.UTF_8)),
                WspHeader.contentId("<smil>"), WspHeader.contentLocation("smil.xml"));
        Part imagePart = Part.of(ContentType.of("image/jpeg", Parameter.of("Name", "photo.jpg")), ByteSlice.wrap(jpeg),
                WspHeader.contentId("<photo>"), WspHeader.contentLocation("photo.jpg"));
        ContentType related = ContentType.of(ContentType.MULTIPART_RELATED, Parameter.of("Start", "<smil>"),
                Parameter.of("Type", "application/smil"));
        return new MmsPdu.SendReq(MmsHeaders.builder()
                .text(MmsField.TRANSACTION_ID, "T1700000000-42")
                .version(1, 2)
                .add(MmsField.DATE, new HeaderValue.Date(1_700_000_000L))
                .add(MmsField.FROM, new HeaderValue.From(null))
                .encoded(MmsField.TO, "+4712345678/TYPE=PLMN")
                .encoded(MmsField.SUBJECT, "Holiday picture")
                .token(MmsField.MESSAGE_CLASS, 0x80)
                .token(MmsField.PRIORITY, 0x81)
                .token(MmsField.DELIVERY_REPORT, 0x81)
                .token(MmsField.READ_REPORT, 0x81)
                .add(MmsField.CONTENT_TYPE, new HeaderValue.ContentTypeValue(related))
                .build(), new MessageBody.Multipart(List.of(smilPart, imagePart)));
    }

    public static MmsPdu notificationIndication() {
        return new MmsPdu.NotificationInd(MmsHeaders.builder()
                .text(MmsField.TRANSACTION_ID, "T1700000000-42")
                .version(1, 2)
                .add(MmsField.FROM, new HeaderValue.From(org.openmmsc.mm1.codec.EncodedString.ascii("+4790000000/TYPE=PLMN")))
                .encoded(MmsField.SUBJECT, "Holiday picture")
                .token(MmsField.MESSAGE_CLASS, 0x80)
                .add(MmsField.MESSAGE_SIZE, new HeaderValue.Number(30_000))
                .add(MmsField.EXPIRY, new HeaderValue.Time(false, 172_800))
                .text(MmsField.CONTENT_LOCATION, "http://mmsc.example.com/m/T1700000000-42")
                .build(), null);
    }

    @Setup
    public void setUp() throws DecodeException {
        sendReqBytes = encoder.encode(sendRequest());
        sendReq = decoder.decode(sendReqBytes);
        notificationBytes = encoder.encode(notificationIndication());
        notification = decoder.decode(notificationBytes);
    }

    public int sendReqSize() {
        return sendReqBytes.length;
    }

    @Benchmark
    public MmsPdu decodeSendReq() throws DecodeException {
        return decoder.decode(sendReqBytes);
    }

    /** Headers and multipart framing encoded, part bodies referenced (for a gathering write). */
    @Benchmark
    public ByteBuffer[] encodeSendReqGathered() {
        return encoder.encodeGathered(sendReq);
    }

    /** The whole PDU in one array, bodies copied. */
    @Benchmark
    public byte[] encodeSendReqContiguous() {
        return encoder.encode(sendReq);
    }

    @Benchmark
    public MmsPdu decodeNotification() throws DecodeException {
        return decoder.decode(notificationBytes);
    }

    @Benchmark
    public byte[] encodeNotification() {
        return encoder.encode(notification);
    }
}
