# A deliberately broken Dockerfile: both linters must reject it (the tests
# deploy_dockerfilelint_bites and deploy_dockerfile_utils_bites).
FROM debian AS build
MAINTAINER nobody
EXPOSE 99999
HEALTHCHECK --interval=often CMD true
CMD ["/usr/local/bin/govreport-parser"
