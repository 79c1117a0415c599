package org.openmmsc.server.admin;

import java.util.List;
import java.util.Map;

/**
 * A multipart/form-data (or url-encoded) body taken apart: the simple fields in the order sent
 * (a field may repeat, like {@code to}) and the uploaded files in order.
 */
public record FormSubmission(Map<String, List<String>> fields, List<UploadedFile> files) {

    public record UploadedFile(String fieldName, String fileName, String contentType, byte[] content) {}

    public FormSubmission {
        fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
        files = List.copyOf(files);
    }
}
