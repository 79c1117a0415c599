package org.openmmsc.server.admin;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.multipart.Attribute;
import io.netty.handler.codec.http.multipart.DefaultHttpDataFactory;
import io.netty.handler.codec.http.multipart.FileUpload;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.netty.handler.codec.http.multipart.InterfaceHttpData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Takes a multipart/form-data or application/x-www-form-urlencoded body apart with Netty's
 * {@link HttpPostRequestDecoder}. Everything stays in memory: the body already passed the
 * server's size limit, and nothing should linger in temporary files.
 */
final class FormDataDecoder {
    private FormDataDecoder() {}

    static FormSubmission decode(String contentType, byte[] body) {
        DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/", Unpooled.wrappedBuffer(body));
        request.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        request.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        HttpPostRequestDecoder decoder = null;
        try {
            decoder = new HttpPostRequestDecoder(new DefaultHttpDataFactory(false), request, StandardCharsets.UTF_8);
            Map<String, List<String>> fields = new LinkedHashMap<>();
            List<FormSubmission.UploadedFile> files = new ArrayList<>();
            for (InterfaceHttpData data : decoder.getBodyHttpDatas()) {
                if (data instanceof FileUpload upload) {
                    files.add(new FormSubmission.UploadedFile(upload.getName(), upload.getFilename(), partType(upload), upload.get()));
                } else if (data instanceof Attribute attribute) {
                    fields.computeIfAbsent(attribute.getName(), k -> new ArrayList<>()).add(attribute.getValue());
                }
            }
            return new FormSubmission(fields, files);
        } catch (HttpPostRequestDecoder.ErrorDataDecoderException | HttpPostRequestDecoder.NotEnoughDataDecoderException
                 | IllegalArgumentException | IOException e) {
            throw new BadRequestException(null, "malformed form body: " + e.getMessage());
        } finally {
            if (decoder != null) decoder.destroy();
            request.release();
        }
    }

    /** The part's content type, with its charset for text (Netty keeps the charset apart). */
    private static String partType(FileUpload upload) {
        String type = upload.getContentType();
        if (type == null) return null;
        if (upload.getCharset() != null && type.toLowerCase(Locale.ROOT).startsWith("text/") && !type.toLowerCase(Locale.ROOT).contains("charset")) {
            return type + "; charset=" + upload.getCharset().name().toLowerCase(Locale.ROOT);
        }
        return type;
    }
}
