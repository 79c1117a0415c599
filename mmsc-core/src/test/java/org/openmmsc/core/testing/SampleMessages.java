package org.openmmsc.core.testing;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import org.openmmsc.core.model.Address;
import org.openmmsc.core.model.ContentType;
import org.openmmsc.core.model.EncodedText;
import org.openmmsc.core.model.Interface;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.MessageId;
import org.openmmsc.core.model.MessagePart;
import org.openmmsc.core.model.Origin;
import org.openmmsc.core.model.Recipient;
import org.openmmsc.core.model.TimeSpec;

/** Small messages for relay and scheduler tests. */
public final class SampleMessages {
    private SampleMessages() {}

    public static Message textTo(Clock clock, String... recipients) {
        return build(clock, false, null, recipients);
    }

    public static Message withDeliveryReport(Clock clock, String... recipients) {
        return build(clock, true, null, recipients);
    }

    public static Message expiringAfter(Clock clock, java.time.Duration expiry, String... recipients) {
        return build(clock, false, TimeSpec.after(expiry), recipients);
    }

    private static Message build(Clock clock, boolean deliveryReport, TimeSpec expiry, String... recipients) {
        List<Recipient> to = Arrays.stream(recipients).map(Address::parseMms).map(Recipient::to).toList();
        MessagePart text = new MessagePart(ContentType.parse("text/plain; charset=utf-8"),
                List.of(new MessagePart.Header("Content-ID", "<text1>")), "hello".getBytes(StandardCharsets.UTF_8));
        return new Message(MessageId.generate(clock), Address.plmn("+4790000001"), to, EncodedText.utf8("hi"), null, null,
                clock.instant(), expiry, null, deliveryReport, false, false, null, ContentType.of("multipart/mixed"), List.of(text),
                Origin.of(Interface.MM1, "+4790000001", "tx-1"));
    }
}
