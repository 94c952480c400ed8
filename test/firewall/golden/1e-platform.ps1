# flowaudit firewall export --format windows
# site file: fixtures/products/1e-platform/site.yaml
# catalogs: 1e-platform
# 18 allow rules from 15 catalog rules; every rule exported
# run in an elevated PowerShell on each host: a rule applies where its -LocalAddress is a local address;
# running it again replaces the rules of group 'flowaudit'

Remove-NetFirewallRule -Group 'flowaudit' -ErrorAction SilentlyContinue

# 1e.client-to-background-channel: Client to Background Channel, HTTPS
#   1e.client -> 1e.response-stack+1e.switch, tcp 443
#   source: 000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Response Stack), TCP 443, HTTPS, Incoming; Downloading client content: Background Channel uses HTTPS, default port 443; WAN caching: Background Channel may be cached
New-NetFirewallRule -Name 'flowaudit-1e.client-to-background-channel' -DisplayName 'flowaudit 1e.client-to-background-channel: Client to Background Channel, HTTPS' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '443' -LocalAddress '10.0.0.41','10.20.0.41' -RemoteAddress '10.0.1.0/24','10.20.1.0/24' -Description '000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Response Stack), TCP 443, HTTPS, Incoming; Downloading client content: Background Channel uses HTTPS, default port 443; WAN caching: Background Channel may be cached' | Out-Null

# 1e.client-to-switch: Client to Switch, WebSocket Secure
#   1e.client -> 1e.switch, tcp 4000
#   source: 000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Response Stack), TCP 4000, WebSocketSecure (wss), Incoming, client-initiated; WAN caching: client-to-Switch must not be cached or delayed
New-NetFirewallRule -Name 'flowaudit-1e.client-to-switch' -DisplayName 'flowaudit 1e.client-to-switch: Client to Switch, WebSocket Secure' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '4000' -LocalAddress '10.0.0.41','10.20.0.41' -RemoteAddress '10.0.1.0/24','10.20.1.0/24' -Description '000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Response Stack), TCP 4000, WebSocketSecure (wss), Incoming, client-initiated; WAN caching: client-to-Switch must not be cached or delayed' | Out-Null

# 1e.master-http-in: Administrators and Response Stacks to the Master Stack, HTTP
#   1e.admin+1e.response-stack -> 1e.master-stack, tcp 80
#   source: 000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Master Stack), TCP 80, HTTP, Incoming (configurable in 1E Server Setup)
New-NetFirewallRule -Name 'flowaudit-1e.master-http-in' -DisplayName 'flowaudit 1e.master-http-in: Administrators and Response Stacks to the Master Stack, HTTP' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '80' -LocalAddress '10.0.0.40' -RemoteAddress '10.0.0.41','10.0.2.5' -Description '000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Master Stack), TCP 80, HTTP, Incoming (configurable in 1E Server Setup)' | Out-Null

# 1e.master-https-in: Administrators and Response Stacks to the Master Stack, HTTPS
#   1e.admin+1e.response-stack -> 1e.master-stack, tcp 443
#   source: 000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Master Stack), TCP 443, HTTPS, Incoming (configurable: HTTPSIISPORT)
New-NetFirewallRule -Name 'flowaudit-1e.master-https-in' -DisplayName 'flowaudit 1e.master-https-in: Administrators and Response Stacks to the Master Stack, HTTPS' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '443' -LocalAddress '10.0.0.40' -RemoteAddress '10.0.0.41','10.0.2.5' -Description '000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Master Stack), TCP 443, HTTPS, Incoming (configurable: HTTPSIISPORT)' | Out-Null

# 1e.master-to-cloud: Master Stack to 1E Cloud (license, catalog), HTTPS
#   1e.master-stack -> 1e.cloud, tcp 443
#   source: 000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Master Stack), TCP 443, HTTPS, Outgoing to 1E Cloud Services (not configurable); Whitelisting: license service and catalog.1e.com
#   note: 1e.cloud is not mapped in the site file: the catalog default internet is used
#   note: internet: every public IPv4 address (all but private, special-use, multicast and the site's `sites` subnets) and IPv6 global unicast 2000::/3 outside those subnets
New-NetFirewallRule -Name 'flowaudit-1e.master-to-cloud' -DisplayName 'flowaudit 1e.master-to-cloud: Master Stack to 1E Cloud (license, catalog), HTTPS' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '443' -LocalAddress '1.0.0.0/8','2.0.0.0/7','4.0.0.0/6','8.0.0.0/7','11.0.0.0/8','12.0.0.0/6','16.0.0.0/4','32.0.0.0/3','64.0.0.0/3','96.0.0.0/6','100.0.0.0/10','100.128.0.0/9','101.0.0.0/8','102.0.0.0/7','104.0.0.0/5','112.0.0.0/5','120.0.0.0/6','124.0.0.0/7','126.0.0.0/8','128.0.0.0/3','160.0.0.0/5','168.0.0.0/8','169.0.0.0/9','169.128.0.0/10','169.192.0.0/11','169.224.0.0/12','169.240.0.0/13','169.248.0.0/14','169.252.0.0/15','169.255.0.0/16','170.0.0.0/7','172.0.0.0/12','172.32.0.0/11','172.64.0.0/10','172.128.0.0/9','173.0.0.0/8','174.0.0.0/7','176.0.0.0/4','192.0.0.0/9','192.128.0.0/11','192.160.0.0/13','192.169.0.0/16','192.170.0.0/15','192.172.0.0/14','192.176.0.0/12','192.192.0.0/10','193.0.0.0/8','194.0.0.0/7','196.0.0.0/7','198.0.0.0/12','198.16.0.0/15','198.20.0.0/14','198.24.0.0/13','198.32.0.0/11','198.64.0.0/10','198.128.0.0/9','199.0.0.0/8','200.0.0.0/5','208.0.0.0/4','2000::/3' -RemoteAddress '10.0.0.40' -Description '000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Master Stack), TCP 443, HTTPS, Outgoing to 1E Cloud Services (not configurable); Whitelisting: license service and catalog.1e.com' | Out-Null

# 1e.master-to-connector-sql: Master Stack connectors to their SQL sources, TDS
#   1e.master-stack -> 1e.connector-sql-server, tcp 1433
#   source: 000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Master Stack), TCP 1433, TDS, Outgoing (Configurable in various Connectors)
New-NetFirewallRule -Name 'flowaudit-1e.master-to-connector-sql' -DisplayName 'flowaudit 1e.master-to-connector-sql: Master Stack connectors to their SQL sources, TDS' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '1433' -LocalAddress '10.0.0.30' -RemoteAddress '10.0.0.40' -Description '000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Master Stack), TCP 1433, TDS, Outgoing (Configurable in various Connectors)' | Out-Null

# 1e.master-to-response-stack: Master Stack to a remote Response Stack (Core), HTTPS
#   1e.master-stack -> 1e.response-stack, tcp 443
#   source: 000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Response Stack), TCP 443, HTTPS, Incoming (for each output there is a matching input)
New-NetFirewallRule -Name 'flowaudit-1e.master-to-response-stack' -DisplayName 'flowaudit 1e.master-to-response-stack: Master Stack to a remote Response Stack (Core), HTTPS' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '443' -LocalAddress '10.0.0.41' -RemoteAddress '10.0.0.40' -Description '000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Response Stack), TCP 443, HTTPS, Incoming (for each output there is a matching input)' | Out-Null

# 1e.master-to-smtp: Master Stack to SMTP relay
#   1e.master-stack -> 1e.smtp-server, tcp 25
#   source: 000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Master Stack), TCP 25, SMTP, Outgoing
New-NetFirewallRule -Name 'flowaudit-1e.master-to-smtp' -DisplayName 'flowaudit 1e.master-to-smtp: Master Stack to SMTP relay' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '25' -LocalAddress '10.0.0.25' -RemoteAddress '10.0.0.40' -Description '000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Master Stack), TCP 25, SMTP, Outgoing' | Out-Null

# 1e.master-to-sql: Master Stack to SQL Server (TachyonMaster), TDS
#   1e.master-stack -> 1e.sql-server, tcp 1433
#   source: 000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Master Stack), TCP 1433, TDS, Outgoing (SQLSERVER_MASTER); SQL Server (TachyonMaster database), TCP 1433, TDS, Incoming
New-NetFirewallRule -Name 'flowaudit-1e.master-to-sql' -DisplayName 'flowaudit 1e.master-to-sql: Master Stack to SQL Server (TachyonMaster), TDS' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '1433' -LocalAddress '10.0.0.42' -RemoteAddress '10.0.0.40' -Description '000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Master Stack), TCP 1433, TDS, Outgoing (SQLSERVER_MASTER); SQL Server (TachyonMaster database), TCP 1433, TDS, Incoming' | Out-Null

# 1e.master-websocket: Master Stack <-> Integrate Agent / Response Stack, WebSocket (ws)
#   1e.master-stack -> 1e.integrate-agent+1e.response-stack, tcp 6002
#   source: 000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Master Stack), TCP 6002, WebSocket (ws), Incoming Outgoing (configurable after installation)
#   note: the catalog allows either side to connect (<->): this is the first of two rules
New-NetFirewallRule -Name 'flowaudit-1e.master-websocket' -DisplayName 'flowaudit 1e.master-websocket: Master Stack <-> Integrate Agent / Response Stack, WebSocket (ws)' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '6002' -LocalAddress '10.0.0.41','10.0.0.44' -RemoteAddress '10.0.0.40' -Description '000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Master Stack), TCP 6002, WebSocket (ws), Incoming Outgoing (configurable after installation)' | Out-Null

# 1e.master-websocket:reverse: Master Stack <-> Integrate Agent / Response Stack, WebSocket (ws)
#   1e.integrate-agent+1e.response-stack -> 1e.master-stack, tcp 6002
#   source: 000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Master Stack), TCP 6002, WebSocket (ws), Incoming Outgoing (configurable after installation)
#   note: the catalog allows either side to connect (<->): this is the second of two rules
New-NetFirewallRule -Name 'flowaudit-1e.master-websocket:reverse' -DisplayName 'flowaudit 1e.master-websocket:reverse: Master Stack <-> Integrate Agent / Response Stack, WebSocket (ws)' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '6002' -LocalAddress '10.0.0.40' -RemoteAddress '10.0.0.41','10.0.0.44' -Description '000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Master Stack), TCP 6002, WebSocket (ws), Incoming Outgoing (configurable after installation)' | Out-Null

# 1e.master-wmi-rpc: Master Stack to WMI targets, RPC endpoint mapper (DCOM)
#   1e.master-stack -> 1e.wmi-target, tcp 135
#   source: 000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Master Stack), TCP 135 and 445 (initially), WMI (DCOM), Outgoing
New-NetFirewallRule -Name 'flowaudit-1e.master-wmi-rpc' -DisplayName 'flowaudit 1e.master-wmi-rpc: Master Stack to WMI targets, RPC endpoint mapper (DCOM)' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort RPCEPMap -LocalAddress '10.0.0.20' -RemoteAddress '10.0.0.40' -Description '000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Master Stack), TCP 135 and 445 (initially), WMI (DCOM), Outgoing' | Out-Null

# 1e.master-wmi-rpc-dynamic: DCOM/WMI on the RPC dynamic port
#   1e.master-stack -> 1e.wmi-target, tcp 1025-5000,49152-65535 (follows 1e.master-wmi-rpc)
#   source: 000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Master Stack), TCP 135 and 445 (initially), WMI (DCOM), Outgoing
#   note: DCOM/WMI on the RPC dynamic port: dynamic ports announced via epm, configured range tcp 1025-5000,49152-65535 (${rpc_dynamic_first_port}-${rpc_dynamic_last_port}, ${rpc_legacy_first_port}-${rpc_legacy_last_port})
# -LocalPort RPC: the RPC dynamic ports the endpoint mapper hands out on this host
New-NetFirewallRule -Name 'flowaudit-1e.master-wmi-rpc-dynamic' -DisplayName 'flowaudit 1e.master-wmi-rpc-dynamic: DCOM/WMI on the RPC dynamic port' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort RPC -LocalAddress '10.0.0.20' -RemoteAddress '10.0.0.40' -Description '000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Master Stack), TCP 135 and 445 (initially), WMI (DCOM), Outgoing' | Out-Null

# 1e.master-wmi-smb: Master Stack to WMI targets, SMB
#   1e.master-stack -> 1e.wmi-target, tcp 445
#   source: 000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Master Stack), TCP 135 and 445 (initially), WMI (DCOM), Outgoing
New-NetFirewallRule -Name 'flowaudit-1e.master-wmi-smb' -DisplayName 'flowaudit 1e.master-wmi-smb: Master Stack to WMI targets, SMB' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '445' -LocalAddress '10.0.0.20' -RemoteAddress '10.0.0.40' -Description '000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Master Stack), TCP 135 and 445 (initially), WMI (DCOM), Outgoing' | Out-Null

# 1e.response-stack-to-sql: Response Stack (Core) to SQL Server (TachyonResponses), TDS
#   1e.response-stack -> 1e.sql-server, tcp 1433
#   source: 000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Response Stack), TCP 1433, TDS, Outgoing (SQLSERVER_RESPONSES); SQL Server (TachyonResponses database), TCP 1433, TDS, Incoming
New-NetFirewallRule -Name 'flowaudit-1e.response-stack-to-sql' -DisplayName 'flowaudit 1e.response-stack-to-sql: Response Stack (Core) to SQL Server (TachyonResponses), TDS' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '1433' -LocalAddress '10.0.0.42' -RemoteAddress '10.0.0.41' -Description '000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Response Stack), TCP 1433, TDS, Outgoing (SQLSERVER_RESPONSES); SQL Server (TachyonResponses database), TCP 1433, TDS, Incoming' | Out-Null

# 1e.sql-browser: 1E servers to SQL Browser (named instances)
#   1e.master-stack+1e.response-stack -> 1e.sql-server, udp 1434
#   source: 000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Master Stack), TCP 1433 TDS Outgoing, notes: named instance needs SQL Browser, open UDP port 1434
New-NetFirewallRule -Name 'flowaudit-1e.sql-browser' -DisplayName 'flowaudit 1e.sql-browser: 1E servers to SQL Browser (named instances)' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '1434' -LocalAddress '10.0.0.42' -RemoteAddress '10.0.0.40/31' -Description '000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Master Stack), TCP 1433 TDS Outgoing, notes: named instance needs SQL Browser, open UDP port 1434' | Out-Null

# 1e.sql-named-instance: SQL Server named instance on the port announced by SQL Browser
#   1e.master-stack+1e.response-stack -> 1e.sql-server, tcp 1025-65535 (follows 1e.sql-browser)
#   source: 000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Master Stack), TCP 1433 TDS Outgoing, notes: named instance needs SQL Browser, open UDP port 1434
#   note: SQL Server named instance on the port announced by SQL Browser: dynamic ports announced via ssrp, configured range tcp 1025-65535
New-NetFirewallRule -Name 'flowaudit-1e.sql-named-instance' -DisplayName 'flowaudit 1e.sql-named-instance: SQL Server named instance on the port announced by SQL Browser' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '1025-65535' -LocalAddress '10.0.0.42' -RemoteAddress '10.0.0.40/31' -Description '000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Master Stack), TCP 1433 TDS Outgoing, notes: named instance needs SQL Browser, open UDP port 1434' | Out-Null

# 1e.telemetry-to-cloud: Clients, servers and administrator browsers to 1E Analytics, HTTPS
#   1e.admin+1e.client+1e.response-stack -> 1e.cloud, tcp 443
#   source: 000_9fe07c569d80f274.txt (1E platform (Tachyon)): Whitelisting connections to 1E Cloud: 1E Analytics URL (https://*.analytics.1e.com) whitelisted for clients and 1E servers; UI telemetry sent directly from administrator browsers
#   note: 1e.cloud is not mapped in the site file: the catalog default internet is used
#   note: internet: every public IPv4 address (all but private, special-use, multicast and the site's `sites` subnets) and IPv6 global unicast 2000::/3 outside those subnets
New-NetFirewallRule -Name 'flowaudit-1e.telemetry-to-cloud' -DisplayName 'flowaudit 1e.telemetry-to-cloud: Clients, servers and administrator browsers to 1E Analytics, HTTPS' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '443' -LocalAddress '1.0.0.0/8','2.0.0.0/7','4.0.0.0/6','8.0.0.0/7','11.0.0.0/8','12.0.0.0/6','16.0.0.0/4','32.0.0.0/3','64.0.0.0/3','96.0.0.0/6','100.0.0.0/10','100.128.0.0/9','101.0.0.0/8','102.0.0.0/7','104.0.0.0/5','112.0.0.0/5','120.0.0.0/6','124.0.0.0/7','126.0.0.0/8','128.0.0.0/3','160.0.0.0/5','168.0.0.0/8','169.0.0.0/9','169.128.0.0/10','169.192.0.0/11','169.224.0.0/12','169.240.0.0/13','169.248.0.0/14','169.252.0.0/15','169.255.0.0/16','170.0.0.0/7','172.0.0.0/12','172.32.0.0/11','172.64.0.0/10','172.128.0.0/9','173.0.0.0/8','174.0.0.0/7','176.0.0.0/4','192.0.0.0/9','192.128.0.0/11','192.160.0.0/13','192.169.0.0/16','192.170.0.0/15','192.172.0.0/14','192.176.0.0/12','192.192.0.0/10','193.0.0.0/8','194.0.0.0/7','196.0.0.0/7','198.0.0.0/12','198.16.0.0/15','198.20.0.0/14','198.24.0.0/13','198.32.0.0/11','198.64.0.0/10','198.128.0.0/9','199.0.0.0/8','200.0.0.0/5','208.0.0.0/4','2000::/3' -RemoteAddress '10.0.0.41','10.0.1.0/24','10.0.2.5','10.20.1.0/24' -Description '000_9fe07c569d80f274.txt (1E platform (Tachyon)): Whitelisting connections to 1E Cloud: 1E Analytics URL (https://*.analytics.1e.com) whitelisted for clients and 1E servers; UI telemetry sent directly from administrator browsers' | Out-Null

