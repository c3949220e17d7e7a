//! The OpenAPI 3 document of the JSON API. Written by hand next to the router; a unit test checks
//! that it lists exactly the routes [`super::api_routes`] registers, and the HTTP tests call every
//! documented path.

use serde_json::{json, Value};

fn param(name: &str, loc: &str, desc: &str, schema: Value) -> Value {
    json!({"name": name, "in": loc, "required": loc == "path", "description": desc, "schema": schema})
}

fn ok(desc: &str, schema: Value) -> Value {
    json!({
        "200": {"description": desc, "content": {"application/json": {"schema": schema}}},
        "default": {"$ref": "#/components/responses/Error"},
    })
}

fn reference(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

pub fn document() -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "samestory",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Copies and same-story news articles. Writes need `Authorization: Bearer TOKEN` when the server has a token; reads too when it runs with --private (except /api/health). Errors are `{\"error\": {\"code\", \"message\"}}`. Spans are half-open byte offsets into the article's `clean_text`."
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "responses": {"Error": {"description": "An error", "content": {"application/json": {"schema": reference("Error")}}}},
            "schemas": schemas(),
        },
        "paths": paths(),
    })
}

fn schemas() -> Value {
    let s = json!({"type": "string"});
    let int = json!({"type": "integer"});
    let mut m = serde_json::Map::new();
    m.insert("Error".into(), json!({"type": "object", "required": ["error"], "properties": {"error": {
                    "type": "object", "required": ["code", "message"],
                    "properties": {
                        "code": {"type": "string", "enum": ["invalid_query", "invalid_body", "empty_body", "unauthorized", "forbidden", "unsupported_media_type", "not_found", "payload_too_large", "too_many_articles", "too_many_values", "body_timeout", "unavailable", "read_timeout", "internal"]},
                        "message": {"type": "string"}}}}}));
    m.insert(
        "StorySummary".into(),
        json!({"type": "object", "properties": {
                    "id": s, "size": int, "outlets": int, "copies": int,
                    "first": {"type": "integer", "nullable": true, "description": "epoch seconds"},
                    "last": {"type": "integer", "nullable": true, "description": "epoch seconds"},
                    "headline": s}}),
    );
    m.insert(
        "StorylineSummary".into(),
        json!({"type": "object", "properties": {
                    "id": s, "stories": int, "articles": int,
                    "first": {"type": "integer", "nullable": true, "description": "epoch seconds"},
                    "last": {"type": "integer", "nullable": true, "description": "epoch seconds"},
                    "headline": s}}),
    );
    m.insert("ArticleRow".into(), json!({"type": "object", "properties": {
                    "id": s, "url": {"type": "string", "nullable": true}, "title": {"type": "string", "nullable": true},
                    "source": {"type": "string", "nullable": true}, "published": {"type": "integer", "nullable": true},
                    "story": s, "copy_of": {"type": "string", "nullable": true},
                    "copy_jaccard": {"type": "number", "nullable": true}, "copy_exact": {"type": "boolean"}, "words": int,
                    "story_similarity": {"type": "number", "nullable": true, "description": "the similarity with which the article joined its story"},
                    "language": {"type": "string", "nullable": true, "description": "ISO 639 code: the one the input named, else the one the text reads as"}}}));
    m.insert(
        "Article".into(),
        json!({"allOf": [reference("ArticleRow"), {"type": "object", "properties": {
                    "text": s, "clean_text": s, "meta": {"type": "object", "nullable": true, "description": "the record's other fields; null when it had none"},
                    "removals": {"type": "array", "items": {"type": "object", "properties": {
                        "start": int, "end": int, "reason": s, "text": s}}}}}]}),
    );
    m.insert(
        "Span".into(),
        json!({"type": "object", "properties": {"start": int, "end": int}}),
    );
    m.insert("StoryDetail".into(), json!({"type": "object", "properties": {
                    "story": reference("StorySummary"),
                    "articles": {"type": "array", "items": reference("ArticleRow")},
                    "copies": {"type": "array", "items": {"type": "object", "properties": {
                        "id": s, "original": s, "jaccard": {"type": "number", "nullable": true}, "exact": {"type": "boolean"}}}},
                    "also_reported_in": {"type": "array", "description": "stories of other languages about the same event, linked by the names (transliterated) and numbers their first reports share", "items": {"type": "object", "properties": {
                        "language": s, "story": reference("StorySummary"),
                        "names": {"type": "array", "items": s}, "numbers": {"type": "array", "items": s}}}},
                    "analysis": {"type": "object", "description": "docs[i] names the article behind document i; spans point into that article's clean_text. While a story grows the analysis may lag its articles by about 2 s (2 s plus the time to make it again; articles that joined since are not among docs).",
                        "properties": {
                            "docs": {"type": "array", "items": {"type": "object", "properties": {"doc": int, "article": s, "outlet": s}}},
                            "passages": {"type": "array", "description": "each shared passage once, with every document carrying it", "items": {"type": "object", "properties": {
                                "occurrences": {"type": "array", "description": "[doc, span] pairs, by doc then start", "items": {"type": "array"}}, "words": int}}},
                            "quotes": {"type": "array", "items": {"type": "object", "properties": {
                                "canonical": s, "speaker": {"type": "string", "nullable": true},
                                "variants": {"type": "array", "items": {"type": "object", "properties": {
                                    "text": s, "occurrences": {"type": "array", "description": "[doc, span] pairs", "items": {"type": "array"}}}}},
                                "outlets": {"type": "array", "items": s}, "docs": {"type": "array", "items": int}}}},
                            "unique": {"type": "array", "description": "per document, the spans of sentences no other document shares", "items": {"type": "array", "items": reference("Span")}},
                            "brief": {"type": "array", "items": {"type": "object", "properties": {
                                "doc": int, "span": reference("Span"), "text": s, "outlets": {"type": "array", "items": s}}}}}}}}));
    m.insert("Comparison".into(), json!({"type": "object", "properties": {
                    "same_story": {"type": "boolean"}, "copy": {"type": "boolean"},
                    "story_similarity": {"type": "number"}, "story_threshold": {"type": "number"},
                    "jaccard": {"type": "number"}, "jaccard_estimate": {"type": "number"}, "copy_threshold": {"type": "number"},
                    "days_apart": {"type": "number", "nullable": true},
                    "evidence": {"type": "object", "properties": {"names": {"type": "array", "items": s}, "numbers": {"type": "array", "items": s}, "terms": {"type": "array", "items": s}}},
                    "across_languages": {"type": "object", "nullable": true,
                        "description": "names (transliterated) and numbers shared, when the two articles are in different languages",
                        "properties": {"names": {"type": "array", "items": s}, "numbers": {"type": "array", "items": s}, "linked": {"type": "boolean"}}},
                    "a": {"type": "object"}, "b": {"type": "object"}}}));
    m.insert("IngestResult".into(), json!({"type": "object", "properties": {
                    "stored": int, "already_stored": int, "rejected": int,
                    "conflicts": {"type": "integer", "description": "articles not stored: another text is stored under their id"},
                    "results": {"type": "array", "description": "one per article, in body order", "items": {"type": "object", "properties": {
                        "index": int, "status": {"type": "string", "enum": ["stored", "already_stored", "rejected", "conflict"]},
                        "id": s, "story": s, "new_story": {"type": "boolean"}, "copy_of": {"type": "string", "nullable": true},
                        "jaccard": {"type": "number", "nullable": true},
                        "warnings": {"type": "array", "items": s},
                        "error": {"type": "object", "properties": {"code": s, "message": s}}}}}}}));
    Value::Object(m)
}

fn paths() -> Value {
    let s = json!({"type": "string"});
    let int = json!({"type": "integer"});
    let id = param("id", "path", "The id.", s.clone());
    let mut m = serde_json::Map::new();
    m.insert("/api/health".into(), json!({"get": {"summary": "Liveness and counts (open even with --private)", "responses": ok("ok", json!({"type": "object", "properties": {"status": s, "articles": int, "stories": int}}))}}));
    m.insert("/api/stories".into(), json!({"get": {
                "summary": "Stories, filtered and paginated",
                "parameters": [
                    param("since", "query", "Stories whose last article is at or after this time (RFC 3339, YYYY-MM-DD, epoch seconds)", s.clone()),
                    param("until", "query", "Stories whose first article is at or before this time", s.clone()),
                    param("q", "query", "Full-text search: every word must occur in a title or text of the story. Words are cut at anything not a letter or digit; a repeated word counts once; at most 32 distinct words (400 invalid_query). Like every read, the search is stopped at --read-timeout-ms (default 5,000; 503 read_timeout)", s.clone()),
                    param("outlet", "query", "Stories with an article from this outlet (case-insensitive; unknown: an article without a source)", s.clone()),
                    param("min_outlets", "query", "At least this many outlets", json!({"type": "integer", "minimum": 0, "maximum": u64::MAX})),
                    param("language", "query", "Stories with an article in this language (ISO 639: de, zh; en-GB reads as en; anything else is 400 invalid_query)", s.clone()),
                    param("limit", "query", "Page size (1-200, default 20; larger values are taken as 200)", json!({"type": "integer", "minimum": 0, "maximum": u64::MAX})),
                    param("cursor", "query", "next_cursor of the previous page (opaque: any other value is refused with 400 invalid_query)", s.clone()),
                    param("sort", "query", "newest (default) or largest", json!({"type": "string", "enum": ["newest", "largest"]})),
                    param("format", "query", "json (default: the page as an object), csv (a header row, then id, size, outlets, copies, first, last, headline) or jsonl (one StorySummary a line); for csv and jsonl the next page's cursor is in the X-Next-Cursor header", json!({"type": "string", "enum": ["json", "csv", "jsonl"]})),
                ],
                "responses": {
                    "200": {"description": "a page of stories", "content": {
                        "application/json": {"schema": json!({"type": "object", "properties": {
                            "stories": {"type": "array", "items": reference("StorySummary")},
                            "next_cursor": {"type": "string", "nullable": true}}})},
                        "text/csv": {"schema": {"type": "string"}},
                        "application/x-ndjson": {"schema": {"type": "string"}}}},
                    "default": {"$ref": "#/components/responses/Error"}}}}));
    m.insert("/api/stories/{id}".into(), json!({"get": {"summary": "A story: articles, copies, shared quotes and passages, unique sentences, brief", "parameters": [id.clone()], "responses": ok("the story", reference("StoryDetail"))}}));
    m.insert("/api/storylines".into(), json!({"get": {
                "summary": "Storylines (stories that continue one another within 7 days), the most recently updated first",
                "parameters": [param("limit", "query", "At most this many (1-200, default 50)", json!({"type": "integer", "minimum": 0, "maximum": u64::MAX}))],
                "responses": ok("storylines", json!({"type": "object", "properties": {
                    "storylines": {"type": "array", "items": reference("StorylineSummary")}}}))}}));
    m.insert("/api/storylines/{id}".into(), json!({"get": {
                "summary": "A storyline (by its id or the id of any of its stories) and its stories in the order they started",
                "parameters": [id.clone()],
                "responses": ok("the storyline", json!({"type": "object", "properties": {
                    "storyline": reference("StorylineSummary"),
                    "stories": {"type": "array", "items": {"type": "object", "properties": {
                        "story": reference("StorySummary"),
                        "continues": {"type": "array", "nullable": true, "description": "[earlier story id, similarity]: the link that put the story in the storyline", "items": {}}}}}}}))}}));
    m.insert("/api/articles/{id}".into(), json!({"get": {"summary": "One stored article with its texts", "parameters": [id], "responses": ok("the article", reference("Article"))}}));
    m.insert("/api/articles".into(), json!({"post": {
                "summary": "Ingest articles: one JSON object, a JSON array, or NDJSON. Same fields as `samestory ingest`. Answers when every article is stored and has its story. Limits (413): the body at most --max-body-bytes (default 16 MiB, code payload_too_large), at most --max-articles-per-request items, array items or NDJSON lines (default 10,000, code too_many_articles), and the articles at most one JSON value per 8 bytes of the body (code too_many_values); the body must arrive within --body-timeout-secs (default 60; 408 body_timeout). Content-Type must be application/json or application/x-ndjson (415 unsupported_media_type); an Origin header, if sent, must be this server (403 forbidden). Every request's Host must be an IP address, localhost or a name given with --allowed-host (403 forbidden).",
                "security": [{"bearer": []}, {}],
                "description": "Needs the bearer token when the server has one (--token); without --token, writes are open (to programs: browsers' cross-site writes are refused, see the content type and Origin rules).",
                "requestBody": {"required": true, "content": {
                    "application/json": {"schema": {"oneOf": [{"type": "object"}, {"type": "array", "minItems": 1, "items": {}, "description": "articles; an item that is not an object is rejected on its own (its result says why) and the rest go through"}]}},
                    "application/x-ndjson": {"schema": s}}},
                "responses": ok("one result per article", reference("IngestResult"))}}));
    m.insert("/api/compare".into(), json!({"get": {"summary": "Two stored articles: same story? copy? similarity and evidence", "parameters": [
                    json!({"name": "a", "in": "query", "required": true, "schema": s}),
                    json!({"name": "b", "in": "query", "required": true, "schema": s})],
                "responses": ok("the comparison", reference("Comparison"))}}));
    let member = json!({"type": "object", "properties": {
        "id": s, "source": {"type": "string", "nullable": true}, "published": {"type": "integer", "nullable": true, "description": "epoch seconds"},
        "heading": s, "jaccard": {"type": "number", "nullable": true}, "exact": {"type": "boolean"}}});
    m.insert("/api/copies".into(), json!({"get": {
                "summary": "Copy families (an original and the articles that copy it), the most copied first",
                "parameters": [
                    param("limit", "query", "Families a page (1-200, default 30; larger values are taken as 200)", json!({"type": "integer", "minimum": 0, "maximum": u64::MAX})),
                    param("page", "query", "The page, from 1 (default 1; 0 is taken as 1, values past 1,000,000 as 1,000,000; past the last page the list is empty)", json!({"type": "integer", "minimum": 0, "maximum": u64::MAX}))],
                "responses": ok("a page of families", json!({"type": "object", "properties": {
                    "total": {"type": "integer", "description": "families in all"}, "page": int,
                    "families": {"type": "array", "items": {"type": "object", "properties": {
                        "original": member.clone(), "copies": {"type": "array", "items": member},
                        "story": s, "outlets": {"type": "integer", "description": "distinct outlets that ran the text, the original's included"}}}}}}))}}));
    let outlet_count = json!({"type": "object", "properties": {"outlet": s, "copies": int}});
    let outlet_summary = json!({"type": "object", "properties": {
        "name": s, "articles": int, "copies": {"type": "integer", "description": "its articles that copy another"},
        "picked_up": {"type": "integer", "description": "copies of its articles by other outlets"},
        "first": {"type": "integer", "nullable": true}, "last": {"type": "integer", "nullable": true}}});
    m.insert("/api/outlets".into(), json!({"get": {
                "summary": "Every outlet (names differing in case are one; unknown: the articles without a source), the most articles first",
                "parameters": [
                    param("limit", "query", "Outlets a page (1-200, default 50; larger values are taken as 200)", json!({"type": "integer", "minimum": 0, "maximum": u64::MAX})),
                    param("page", "query", "The page, from 1 (default 1; 0 is taken as 1, values past 1,000,000 as 1,000,000; past the last page the list is empty)", json!({"type": "integer", "minimum": 0, "maximum": u64::MAX}))],
                "responses": ok("a page of outlets", json!({"type": "object", "properties": {
                    "page": int, "outlets": {"type": "array", "items": outlet_summary.clone()}}}))}}));
    m.insert("/api/outlets/{name}".into(), json!({"get": {
                "summary": "An outlet (its name in any case; unknown: the articles without a source): its figures, who copies it, whom it copies",
                "parameters": [
                    param("name", "path", "The outlet.", s.clone()),
                    param("limit", "query", "Outlets in each list (1-200, default 20; larger values are taken as 200)", json!({"type": "integer", "minimum": 0, "maximum": u64::MAX}))],
                "responses": ok("the outlet", json!({"type": "object", "properties": {
                    "outlet": outlet_summary,
                    "copied_by": {"type": "array", "items": outlet_count.clone()},
                    "copies_from": {"type": "array", "items": outlet_count}}}))}}));
    m.insert("/api/openapi.json".into(), json!({"get": {"summary": "This document", "responses": ok("OpenAPI 3", json!({"type": "object"}))}}));
    m.insert("/metrics".into(), json!({"get": {"summary": "Prometheus metrics", "responses": {
                "200": {"description": "text exposition format", "content": {"text/plain": {"schema": s}}},
                "default": {"$ref": "#/components/responses/Error"}}}}));
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_exactly_the_routes_of_the_router() {
        let doc = document();
        let mut documented: Vec<(String, String)> = doc["paths"]
            .as_object()
            .unwrap()
            .iter()
            .flat_map(|(path, ops)| {
                ops.as_object()
                    .unwrap()
                    .keys()
                    .map(|m| (m.clone(), path.clone()))
                    .collect::<Vec<_>>()
            })
            .collect();
        let mut routed: Vec<(String, String)> = crate::serve::api_routes()
            .api
            .into_iter()
            .map(|(m, p)| (m.to_owned(), p.to_owned()))
            .collect();
        documented.sort();
        routed.sort();
        assert_eq!(documented, routed);
    }
}
