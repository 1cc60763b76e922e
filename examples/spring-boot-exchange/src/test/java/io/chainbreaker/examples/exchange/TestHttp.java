package io.chainbreaker.examples.exchange;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * The calls the tests make on the running example, on the JDK's HTTP client: the same few methods
 * as Spring Boot's {@code TestRestTemplate}, which moved to another module and package in Spring
 * Boot 4, so the tests run unchanged on both Boot lines. Like it, it never throws on an error
 * status and never follows redirects. Bodies are written and read with Jackson 2, which the tests
 * use to look at JSON whichever Jackson the application itself serialises with.
 */
final class TestHttp {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private final String root;
  private final String authorization;

  private TestHttp(String root, String authorization) {
    this.root = root;
    this.authorization = authorization;
  }

  /** A client of the application listening on {@code port} of this host. */
  static TestHttp onPort(int port) {
    return new TestHttp("http://localhost:" + port, null);
  }

  /** This client, with Basic authentication as {@code user}. */
  TestHttp withBasicAuth(String user, String password) {
    String token =
        Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return new TestHttp(root, "Basic " + token);
  }

  <T> ResponseEntity<T> getForEntity(String path, Class<T> type) {
    return exchange(path, HttpMethod.GET, null, type);
  }

  <T> T getForObject(String path, Class<T> type) {
    return getForEntity(path, type).getBody();
  }

  <T> ResponseEntity<T> postForEntity(String path, Object body, Class<T> type) {
    HttpEntity<?> entity =
        body == null || body instanceof HttpEntity<?>
            ? (HttpEntity<?>) body
            : new HttpEntity<>(body);
    return exchange(path, HttpMethod.POST, entity, type);
  }

  <T> ResponseEntity<T> exchange(
      String path, HttpMethod method, HttpEntity<?> entity, Class<T> type) {
    HttpHeaders headers = new HttpHeaders();
    if (entity != null) {
      headers.putAll(entity.getHeaders());
    }
    if (headers.getAccept().isEmpty()) {
      // what RestTemplate sends, so Spring Security picks the same entry point (401, not a
      // redirect to the login form) as it did for TestRestTemplate
      headers.set(
          HttpHeaders.ACCEPT,
          type == String.class
              ? "text/plain, application/json, application/*+json, */*"
              : "application/json, application/*+json");
    }
    if (authorization != null && headers.getFirst(HttpHeaders.AUTHORIZATION) == null) {
      headers.set(HttpHeaders.AUTHORIZATION, authorization);
    }
    HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();
    Object payload = entity == null ? null : entity.getBody();
    if (payload != null) {
      if (headers.getContentType() == null) {
        headers.setContentType(
            payload instanceof String ? MediaType.TEXT_PLAIN : MediaType.APPLICATION_JSON);
      }
      body =
          HttpRequest.BodyPublishers.ofString(
              payload instanceof String s ? s : write(payload), StandardCharsets.UTF_8);
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(root + path)).method(method.name(), body);
    headers.forEach((name, values) -> values.forEach(v -> request.header(name, v)));
    try {
      HttpResponse<String> response =
          CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      HttpHeaders answer = new HttpHeaders();
      for (Map.Entry<String, List<String>> h : response.headers().map().entrySet()) {
        answer.addAll(h.getKey(), h.getValue());
      }
      return ResponseEntity.status(response.statusCode())
          .headers(answer)
          .body(read(response.body(), type));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String write(Object payload) {
    try {
      return JSON.writeValueAsString(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static <T> T read(String body, Class<T> type) {
    if (body == null || body.isEmpty()) {
      return null;
    }
    if (type == String.class) {
      return type.cast(body);
    }
    try {
      return type == JsonNode.class ? type.cast(JSON.readTree(body)) : JSON.readValue(body, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("not JSON (" + e.getOriginalMessage() + "): " + body, e);
    }
  }
}
