package org.openmmsc.mm3.smtp;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * What the SMTP server asks the MMSC: who may send, to whom, and what to do with a message.
 * The server enforces the protocol and the limits; the policy decides relay control and takes
 * the message. Methods for MAIL and RCPT are called on the event loop and must not block.
 */
public interface SmtpPolicy {

    /** MAIL FROM: return null to go on, or a refusal (5xx: nothing will be stored). */
    SmtpReply onMail(ClientInfo client, String reversePath);

    /** RCPT TO: return null to accept this recipient, or a refusal. */
    SmtpReply onRcpt(ClientInfo client, String reversePath, List<String> acceptedSoFar, String forwardPath);

    /**
     * The message (dot-unstuffed, CRLF line ends) for the accepted recipients. The reply is sent
     * when the stage completes: a 250 only once the message is durable. Runs off the event loop.
     */
    CompletionStage<SmtpReply> onMessage(Envelope envelope, byte[] message);
}
