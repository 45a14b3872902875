package io.kontroler.api.http;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.kontroler.api.auth.Role;

/**
 * One endpoint of the API: method, path (Javalin syntax, {@code {param}}), the least role that may
 * call it (null: public), a summary for the OpenAPI document, and its handler.
 */
public record Route(HandlerType method, String path, Role role, String summary, Handler handler) {

  public boolean isPublic() {
    return role == null;
  }

  public static Route get(String path, Role role, String summary, Handler handler) {
    return new Route(HandlerType.GET, path, role, summary, handler);
  }

  public static Route post(String path, Role role, String summary, Handler handler) {
    return new Route(HandlerType.POST, path, role, summary, handler);
  }

  public static Route put(String path, Role role, String summary, Handler handler) {
    return new Route(HandlerType.PUT, path, role, summary, handler);
  }

  public static Route delete(String path, Role role, String summary, Handler handler) {
    return new Route(HandlerType.DELETE, path, role, summary, handler);
  }
}
