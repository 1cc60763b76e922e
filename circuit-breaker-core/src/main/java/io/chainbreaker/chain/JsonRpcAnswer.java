package io.chainbreaker.chain;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * One JSON-RPC answer read with a streaming parser, keeping only what the rules read: the id, a
 * textual or boolean result, of a block result its number, hash, parent hash and timestamp, and the
 * error's code and message. Everything else (a block's transactions, logs bloom, extra data) is
 * skipped without being built, so a poll allocates a few strings instead of web3j's whole {@code
 * EthBlock}: measured in {@code benchmarks/README.md}.
 */
final class JsonRpcAnswer {

  long id = -1;
  boolean hasResult;
  boolean resultNull;
  @Nullable String resultText;
  @Nullable Boolean resultBoolean;
  boolean resultObject;
  @Nullable String number;
  @Nullable String hash;
  @Nullable String parentHash;
  @Nullable String timestamp;
  boolean hasError;
  @Nullable String errorCode;
  @Nullable String errorMessage;

  /** Reads the object the parser is at (its {@code START_OBJECT} just read). */
  static JsonRpcAnswer read(JsonParser p) throws IOException {
    JsonRpcAnswer a = new JsonRpcAnswer();
    for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
      if (t != JsonToken.FIELD_NAME) {
        throw new com.fasterxml.jackson.core.JsonParseException(p, "expected a field name");
      }
      String field = p.currentName();
      JsonToken v = p.nextToken();
      if (v == null) {
        throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected end of input");
      }
      switch (field) {
        case "id" -> a.id = id(p, v);
        case "result" -> a.result(p, v);
        case "error" -> a.error(p, v);
        default -> p.skipChildren();
      }
    }
    return a;
  }

  private static long id(JsonParser p, JsonToken v) throws IOException {
    if (v == JsonToken.VALUE_NUMBER_INT) {
      return p.getLongValue();
    }
    if (v == JsonToken.VALUE_STRING) {
      try {
        return Long.parseLong(p.getText());
      } catch (NumberFormatException e) {
        return -1;
      }
    }
    p.skipChildren();
    return -1;
  }

  private void result(JsonParser p, JsonToken v) throws IOException {
    hasResult = true;
    switch (v) {
      case VALUE_NULL -> resultNull = true;
      case VALUE_TRUE, VALUE_FALSE -> resultBoolean = v == JsonToken.VALUE_TRUE;
      case START_OBJECT -> {
        resultObject = true;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
          String field = p.currentName();
          JsonToken fv = p.nextToken();
          if (fv == null) {
            throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected end of input");
          }
          if (fv.isStructStart()) {
            p.skipChildren();
            continue;
          }
          switch (field) {
            case "number" -> number = scalar(p, fv);
            case "hash" -> hash = scalar(p, fv);
            case "parentHash" -> parentHash = scalar(p, fv);
            case "timestamp" -> timestamp = scalar(p, fv);
            default -> {
              // not read by any rule
            }
          }
        }
      }
      case START_ARRAY -> p.skipChildren();
      default -> resultText = p.getText();
    }
  }

  private static @Nullable String scalar(JsonParser p, JsonToken v) throws IOException {
    return v == JsonToken.VALUE_NULL ? null : p.getText();
  }

  private void error(JsonParser p, JsonToken v) throws IOException {
    if (v == JsonToken.VALUE_NULL) {
      return;
    }
    hasError = true;
    if (v != JsonToken.START_OBJECT) {
      errorMessage = v.isStructStart() ? null : p.getText();
      p.skipChildren();
      return;
    }
    for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
      String field = p.currentName();
      JsonToken fv = p.nextToken();
      if (fv == null) {
        throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected end of input");
      }
      if (fv.isStructStart()) {
        p.skipChildren();
      } else if (field.equals("code")) {
        errorCode = p.getText();
      } else if (field.equals("message")) {
        errorMessage = p.getText();
      }
    }
  }
}
