# The example job of examples/hello-service.json as a Nomad HCL2 jobspec: berth turns it into the
# API's JSON with POST /v1/jobs/parse (what `nomad job run` does on the client side).
variable "copies" {
  type        = number
  default     = 2
  description = "How many copies of the loop to run"
}

job "hello" {
  datacenters = ["dc1"]
  type        = "service"

  group "web" {
    count = var.copies

    restart {
      attempts = 3
      interval = "10m"
      delay    = "1s"
      mode     = "delay"
    }

    task "hello" {
      driver = "raw_exec"

      config {
        command = "/bin/sh"
        args = [
          "-c",
          "trap 'echo \"$(date) got SIGUSR1\"' USR1; trap 'echo \"$(date) stopping\"; exit 0' INT TERM; echo \"hello from $NOMAD_ALLOC_ID ($NOMAD_TASK_NAME) on $${GREETING_NODE}\"; while true; do echo \"$(date) still here\"; sleep 5 & wait $!; done",
        ]
      }

      env {
        # Left for the node to fill in, as Nomad leaves it.
        GREETING_NODE = "${attr.unique.hostname}"
      }

      resources {
        cpu    = 50
        memory = 32
      }

      kill_timeout = "5s"
    }
  }
}
