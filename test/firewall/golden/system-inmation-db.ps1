# flowaudit firewall export --format windows
# site file: fixtures/products/system-inmation/site.yaml
# catalogs: system-inmation
# 2 allow rules from 1 catalog rule; every rule exported
# observed flow counts from the database
# run in an elevated PowerShell on each host: a rule applies where its -LocalAddress is a local address;
# running it again replaces the rules of group 'flowaudit'

Remove-NetFirewallRule -Group 'flowaudit' -ErrorAction SilentlyContinue

# inmation.connector-core: Connector <-> Core, single-port TCP
#   inmation.connector -> inmation.core, tcp 6510
#   source: 004_808c9534d45b15c8.txt (system:inmation): Single Port TCP Communication: one configured port (default 6510) opened in both directions between Connector and Core
#   observed: 3 flows, first 2024-03-04T09:00:01.000Z, last 2024-03-04T09:00:03.002Z
#   note: the catalog allows either side to connect (<->): this is the first of two rules; the observed counts are for both
New-NetFirewallRule -Name 'flowaudit-inmation.connector-core' -DisplayName 'flowaudit inmation.connector-core: Connector <-> Core, single-port TCP' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '6510' -LocalAddress '10.0.0.70/31' -RemoteAddress '10.0.3.0/24','10.20.3.10' -Description '004_808c9534d45b15c8.txt (system:inmation): Single Port TCP Communication: one configured port (default 6510) opened in both directions between Connector and Core' | Out-Null

# inmation.connector-core:reverse: Connector <-> Core, single-port TCP
#   inmation.core -> inmation.connector, tcp 6510
#   source: 004_808c9534d45b15c8.txt (system:inmation): Single Port TCP Communication: one configured port (default 6510) opened in both directions between Connector and Core
#   observed: 3 flows, first 2024-03-04T09:00:01.000Z, last 2024-03-04T09:00:03.002Z
#   note: the catalog allows either side to connect (<->): this is the second of two rules; the observed counts are for both
New-NetFirewallRule -Name 'flowaudit-inmation.connector-core:reverse' -DisplayName 'flowaudit inmation.connector-core:reverse: Connector <-> Core, single-port TCP' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '6510' -LocalAddress '10.0.3.0/24','10.20.3.10' -RemoteAddress '10.0.0.70/31' -Description '004_808c9534d45b15c8.txt (system:inmation): Single Port TCP Communication: one configured port (default 6510) opened in both directions between Connector and Core' | Out-Null

