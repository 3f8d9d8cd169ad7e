package dev.ironcore.boot.api.metal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/** The Server status fields we read: its state and its network interfaces. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ServerStatus {
  private String state;
  private List<NetworkInterface> networkInterfaces = new ArrayList<>();

  public String getState() {
    return state;
  }

  public void setState(String state) {
    this.state = state;
  }

  public List<NetworkInterface> getNetworkInterfaces() {
    return networkInterfaces;
  }

  public void setNetworkInterfaces(List<NetworkInterface> networkInterfaces) {
    this.networkInterfaces = networkInterfaces == null ? new ArrayList<>() : networkInterfaces;
  }
}
