package io.flowsdk.admin.ctl;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Calls a node's admin API from the command line (blocking: a CLI has no event loop to keep free). */
final class AdminClient {

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String url;
  private final String token;

  AdminClient(String url, String token) {
    this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    this.token = token;
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** The body of a 2xx answer; a refusal fails with {@link CtlException} carrying the API's error and message. */
  JsonObject call(String method, String pathAndQuery) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + pathAndQuery)).timeout(Duration.ofSeconds(30))
      .method(method, HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new CtlException(CtlException.UNREACHABLE, "cannot reach the admin API at " + url + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CtlException(CtlException.UNREACHABLE, "interrupted");
    }
    JsonObject body;
    try {
      body = new JsonObject(response.body());
    } catch (RuntimeException e) {
      throw new CtlException(CtlException.REFUSED, url + pathAndQuery + " answered " + response.statusCode()
        + " without JSON: is this a FlowSDK management listener?");
    }
    if (response.statusCode() / 100 != 2) {
      throw new CtlException(CtlException.REFUSED, response.statusCode() + " " + body.getString("error") + ": "
        + body.getString("message"));
    }
    return body;
  }
}
