package io.serendip.ml.data;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** One catalog line: {@code {"id":..., "title":..., "text":..., "tags":[...]}}. Only {@code id} is required. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CatalogItem(String id, String title, String text, List<String> tags) {
    public CatalogItem {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("field 'id' is required");
        }
        title = title == null ? "" : title;
        text = text == null ? "" : text;
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /** Title, text and tags as one string, for text embedding and keyword extraction. */
    public String fullText() {
        StringBuilder sb = new StringBuilder(title);
        if (!text.isEmpty() && !text.equals(title)) {
            sb.append(". ").append(text);
        }
        if (!tags.isEmpty()) {
            sb.append(". ").append(String.join(", ", tags));
        }
        return sb.toString();
    }
}
