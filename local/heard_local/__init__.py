"""The local stack: template.yaml's HTTP API and table on 127.0.0.1, moto as AWS, real handlers.

Dev and test only: no handler imports it. Run it with `make dev`.
"""
