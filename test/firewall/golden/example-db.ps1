# flowaudit firewall export --format windows
# site file: fixtures/example/site.yaml
# catalogs: sccm-2007, 1e-platform, altiris-ds-5.5, windows-infra
# 95 allow rules from 166 catalog rules; 111 rules or follow-ons not exported (listed at the end)
# observed flow counts from the database
# run in an elevated PowerShell on each host: a rule applies where its -LocalAddress is a local address;
# running it again replaces the rules of group 'flowaudit'

Remove-NetFirewallRule -Group 'flowaudit' -ErrorAction SilentlyContinue

# 1e.client-to-background-channel: Client to Background Channel, HTTPS
#   1e.client -> 1e.response-stack+1e.switch, tcp 443
#   source: 000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Response Stack), TCP 443, HTTPS, Incoming; Downloading client content: Background Channel uses HTTPS, default port 443; WAN caching: Background Channel may be cached
#   observed: 1 flow, first 2024-03-04T09:00:16.000Z, last 2024-03-04T09:00:16.090Z
New-NetFirewallRule -Name 'flowaudit-1e.client-to-background-channel' -DisplayName 'flowaudit 1e.client-to-background-channel: Client to Background Channel, HTTPS' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '443' -LocalAddress '10.0.0.41' -RemoteAddress '10.0.1.0/24','10.20.1.0/24' -Description '000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Response Stack), TCP 443, HTTPS, Incoming; Downloading client content: Background Channel uses HTTPS, default port 443; WAN caching: Background Channel may be cached' | Out-Null

# 1e.client-to-switch: Client to Switch, WebSocket Secure
#   1e.client -> 1e.switch, tcp 4000
#   source: 000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Response Stack), TCP 4000, WebSocketSecure (wss), Incoming, client-initiated; WAN caching: client-to-Switch must not be cached or delayed
#   observed: 3 flows, first 2024-03-04T09:00:13.000Z, last 2024-03-04T09:00:15.090Z
New-NetFirewallRule -Name 'flowaudit-1e.client-to-switch' -DisplayName 'flowaudit 1e.client-to-switch: Client to Switch, WebSocket Secure' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '4000' -LocalAddress '10.0.0.41' -RemoteAddress '10.0.1.0/24','10.20.1.0/24' -Description '000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Response Stack), TCP 4000, WebSocketSecure (wss), Incoming, client-initiated; WAN caching: client-to-Switch must not be cached or delayed' | Out-Null

# 1e.master-http-in: Administrators and Response Stacks to the Master Stack, HTTP
#   1e.admin+1e.response-stack -> 1e.master-stack, tcp 80
#   source: 000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Master Stack), TCP 80, HTTP, Incoming (configurable in 1E Server Setup)
#   observed: no flow in the database
New-NetFirewallRule -Name 'flowaudit-1e.master-http-in' -DisplayName 'flowaudit 1e.master-http-in: Administrators and Response Stacks to the Master Stack, HTTP' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '80' -LocalAddress '10.0.0.40' -RemoteAddress '10.0.0.41' -Description '000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Master Stack), TCP 80, HTTP, Incoming (configurable in 1E Server Setup)' | Out-Null

# 1e.master-https-in: Administrators and Response Stacks to the Master Stack, HTTPS
#   1e.admin+1e.response-stack -> 1e.master-stack, tcp 443
#   source: 000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Master Stack), TCP 443, HTTPS, Incoming (configurable: HTTPSIISPORT)
#   observed: no flow in the database
New-NetFirewallRule -Name 'flowaudit-1e.master-https-in' -DisplayName 'flowaudit 1e.master-https-in: Administrators and Response Stacks to the Master Stack, HTTPS' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '443' -LocalAddress '10.0.0.40' -RemoteAddress '10.0.0.41' -Description '000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Master Stack), TCP 443, HTTPS, Incoming (configurable: HTTPSIISPORT)' | Out-Null

# 1e.master-to-cloud: Master Stack to 1E Cloud (license, catalog), HTTPS
#   1e.master-stack -> 1e.cloud, tcp 443
#   source: 000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Master Stack), TCP 443, HTTPS, Outgoing to 1E Cloud Services (not configurable); Whitelisting: license service and catalog.1e.com
#   observed: no flow in the database
#   note: 1e.cloud is not mapped in the site file: the catalog default internet is used
#   note: internet: every public IPv4 address (all but private, special-use, multicast and the site's `sites` subnets) and IPv6 global unicast 2000::/3 outside those subnets
New-NetFirewallRule -Name 'flowaudit-1e.master-to-cloud' -DisplayName 'flowaudit 1e.master-to-cloud: Master Stack to 1E Cloud (license, catalog), HTTPS' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '443' -LocalAddress '1.0.0.0/8','2.0.0.0/7','4.0.0.0/6','8.0.0.0/7','11.0.0.0/8','12.0.0.0/6','16.0.0.0/4','32.0.0.0/3','64.0.0.0/3','96.0.0.0/6','100.0.0.0/10','100.128.0.0/9','101.0.0.0/8','102.0.0.0/7','104.0.0.0/5','112.0.0.0/5','120.0.0.0/6','124.0.0.0/7','126.0.0.0/8','128.0.0.0/3','160.0.0.0/5','168.0.0.0/8','169.0.0.0/9','169.128.0.0/10','169.192.0.0/11','169.224.0.0/12','169.240.0.0/13','169.248.0.0/14','169.252.0.0/15','169.255.0.0/16','170.0.0.0/7','172.0.0.0/12','172.32.0.0/11','172.64.0.0/10','172.128.0.0/9','173.0.0.0/8','174.0.0.0/7','176.0.0.0/4','192.0.0.0/9','192.128.0.0/11','192.160.0.0/13','192.169.0.0/16','192.170.0.0/15','192.172.0.0/14','192.176.0.0/12','192.192.0.0/10','193.0.0.0/8','194.0.0.0/7','196.0.0.0/7','198.0.0.0/12','198.16.0.0/15','198.20.0.0/14','198.24.0.0/13','198.32.0.0/11','198.64.0.0/10','198.128.0.0/9','199.0.0.0/8','200.0.0.0/5','208.0.0.0/4','2000::/3' -RemoteAddress '10.0.0.40' -Description '000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Master Stack), TCP 443, HTTPS, Outgoing to 1E Cloud Services (not configurable); Whitelisting: license service and catalog.1e.com' | Out-Null

# 1e.master-to-response-stack: Master Stack to a remote Response Stack (Core), HTTPS
#   1e.master-stack -> 1e.response-stack, tcp 443
#   source: 000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Response Stack), TCP 443, HTTPS, Incoming (for each output there is a matching input)
#   observed: no flow in the database
New-NetFirewallRule -Name 'flowaudit-1e.master-to-response-stack' -DisplayName 'flowaudit 1e.master-to-response-stack: Master Stack to a remote Response Stack (Core), HTTPS' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '443' -LocalAddress '10.0.0.41' -RemoteAddress '10.0.0.40' -Description '000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Response Stack), TCP 443, HTTPS, Incoming (for each output there is a matching input)' | Out-Null

# 1e.master-to-sql: Master Stack to SQL Server (TachyonMaster), TDS
#   1e.master-stack -> 1e.sql-server, tcp 1433
#   source: 000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Master Stack), TCP 1433, TDS, Outgoing (SQLSERVER_MASTER); SQL Server (TachyonMaster database), TCP 1433, TDS, Incoming
#   observed: 1 flow, first 2024-03-04T09:00:12.000Z, last 2024-03-04T09:00:12.012Z
New-NetFirewallRule -Name 'flowaudit-1e.master-to-sql' -DisplayName 'flowaudit 1e.master-to-sql: Master Stack to SQL Server (TachyonMaster), TDS' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '1433' -LocalAddress '10.0.0.42' -RemoteAddress '10.0.0.40' -Description '000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Master Stack), TCP 1433, TDS, Outgoing (SQLSERVER_MASTER); SQL Server (TachyonMaster database), TCP 1433, TDS, Incoming' | Out-Null

# 1e.master-websocket: Master Stack <-> Integrate Agent / Response Stack, WebSocket (ws)
#   1e.master-stack -> 1e.integrate-agent+1e.response-stack, tcp 6002
#   source: 000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Master Stack), TCP 6002, WebSocket (ws), Incoming Outgoing (configurable after installation)
#   observed: no flow in the database
#   note: the catalog allows either side to connect (<->): this is the first of two rules; the observed counts are for both
New-NetFirewallRule -Name 'flowaudit-1e.master-websocket' -DisplayName 'flowaudit 1e.master-websocket: Master Stack <-> Integrate Agent / Response Stack, WebSocket (ws)' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '6002' -LocalAddress '10.0.0.41' -RemoteAddress '10.0.0.40' -Description '000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Master Stack), TCP 6002, WebSocket (ws), Incoming Outgoing (configurable after installation)' | Out-Null

# 1e.master-websocket:reverse: Master Stack <-> Integrate Agent / Response Stack, WebSocket (ws)
#   1e.integrate-agent+1e.response-stack -> 1e.master-stack, tcp 6002
#   source: 000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Master Stack), TCP 6002, WebSocket (ws), Incoming Outgoing (configurable after installation)
#   observed: no flow in the database
#   note: the catalog allows either side to connect (<->): this is the second of two rules; the observed counts are for both
New-NetFirewallRule -Name 'flowaudit-1e.master-websocket:reverse' -DisplayName 'flowaudit 1e.master-websocket:reverse: Master Stack <-> Integrate Agent / Response Stack, WebSocket (ws)' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '6002' -LocalAddress '10.0.0.40' -RemoteAddress '10.0.0.41' -Description '000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Master Stack), TCP 6002, WebSocket (ws), Incoming Outgoing (configurable after installation)' | Out-Null

# 1e.response-stack-to-sql: Response Stack (Core) to SQL Server (TachyonResponses), TDS
#   1e.response-stack -> 1e.sql-server, tcp 1433
#   source: 000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Response Stack), TCP 1433, TDS, Outgoing (SQLSERVER_RESPONSES); SQL Server (TachyonResponses database), TCP 1433, TDS, Incoming
#   observed: 1 flow, first 2024-03-04T09:00:12.500Z, last 2024-03-04T09:00:12.512Z
New-NetFirewallRule -Name 'flowaudit-1e.response-stack-to-sql' -DisplayName 'flowaudit 1e.response-stack-to-sql: Response Stack (Core) to SQL Server (TachyonResponses), TDS' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '1433' -LocalAddress '10.0.0.42' -RemoteAddress '10.0.0.41' -Description '000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Response Stack), TCP 1433, TDS, Outgoing (SQLSERVER_RESPONSES); SQL Server (TachyonResponses database), TCP 1433, TDS, Incoming' | Out-Null

# 1e.sql-browser: 1E servers to SQL Browser (named instances)
#   1e.master-stack+1e.response-stack -> 1e.sql-server, udp 1434
#   source: 000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Master Stack), TCP 1433 TDS Outgoing, notes: named instance needs SQL Browser, open UDP port 1434
#   observed: no flow in the database
New-NetFirewallRule -Name 'flowaudit-1e.sql-browser' -DisplayName 'flowaudit 1e.sql-browser: 1E servers to SQL Browser (named instances)' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '1434' -LocalAddress '10.0.0.42' -RemoteAddress '10.0.0.40/31' -Description '000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Master Stack), TCP 1433 TDS Outgoing, notes: named instance needs SQL Browser, open UDP port 1434' | Out-Null

# 1e.sql-named-instance: SQL Server named instance on the port announced by SQL Browser
#   1e.master-stack+1e.response-stack -> 1e.sql-server, tcp 1025-65535 (follows 1e.sql-browser)
#   source: 000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Master Stack), TCP 1433 TDS Outgoing, notes: named instance needs SQL Browser, open UDP port 1434
#   observed: no flow in the database
#   note: SQL Server named instance on the port announced by SQL Browser: dynamic ports announced via ssrp, configured range tcp 1025-65535
#   note: no follow-on flow in the database: the whole configured range
New-NetFirewallRule -Name 'flowaudit-1e.sql-named-instance' -DisplayName 'flowaudit 1e.sql-named-instance: SQL Server named instance on the port announced by SQL Browser' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '1025-65535' -LocalAddress '10.0.0.42' -RemoteAddress '10.0.0.40/31' -Description '000_9fe07c569d80f274.txt (1E platform (Tachyon)): 1E Servers: 1E Server (Master Stack), TCP 1433 TDS Outgoing, notes: named instance needs SQL Browser, open UDP port 1434' | Out-Null

# 1e.telemetry-to-cloud: Clients, servers and administrator browsers to 1E Analytics, HTTPS
#   1e.admin+1e.client+1e.response-stack -> 1e.cloud, tcp 443
#   source: 000_9fe07c569d80f274.txt (1E platform (Tachyon)): Whitelisting connections to 1E Cloud: 1E Analytics URL (https://*.analytics.1e.com) whitelisted for clients and 1E servers; UI telemetry sent directly from administrator browsers
#   observed: no flow in the database
#   note: 1e.cloud is not mapped in the site file: the catalog default internet is used
#   note: internet: every public IPv4 address (all but private, special-use, multicast and the site's `sites` subnets) and IPv6 global unicast 2000::/3 outside those subnets
New-NetFirewallRule -Name 'flowaudit-1e.telemetry-to-cloud' -DisplayName 'flowaudit 1e.telemetry-to-cloud: Clients, servers and administrator browsers to 1E Analytics, HTTPS' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '443' -LocalAddress '1.0.0.0/8','2.0.0.0/7','4.0.0.0/6','8.0.0.0/7','11.0.0.0/8','12.0.0.0/6','16.0.0.0/4','32.0.0.0/3','64.0.0.0/3','96.0.0.0/6','100.0.0.0/10','100.128.0.0/9','101.0.0.0/8','102.0.0.0/7','104.0.0.0/5','112.0.0.0/5','120.0.0.0/6','124.0.0.0/7','126.0.0.0/8','128.0.0.0/3','160.0.0.0/5','168.0.0.0/8','169.0.0.0/9','169.128.0.0/10','169.192.0.0/11','169.224.0.0/12','169.240.0.0/13','169.248.0.0/14','169.252.0.0/15','169.255.0.0/16','170.0.0.0/7','172.0.0.0/12','172.32.0.0/11','172.64.0.0/10','172.128.0.0/9','173.0.0.0/8','174.0.0.0/7','176.0.0.0/4','192.0.0.0/9','192.128.0.0/11','192.160.0.0/13','192.169.0.0/16','192.170.0.0/15','192.172.0.0/14','192.176.0.0/12','192.192.0.0/10','193.0.0.0/8','194.0.0.0/7','196.0.0.0/7','198.0.0.0/12','198.16.0.0/15','198.20.0.0/14','198.24.0.0/13','198.32.0.0/11','198.64.0.0/10','198.128.0.0/9','199.0.0.0/8','200.0.0.0/5','208.0.0.0/4','2000::/3' -RemoteAddress '10.0.0.41','10.0.1.0/24','10.20.1.0/24' -Description '000_9fe07c569d80f274.txt (1E platform (Tachyon)): Whitelisting connections to 1E Cloud: 1E Analytics URL (https://*.analytics.1e.com) whitelisted for clients and 1E servers; UI telemetry sent directly from administrator browsers' | Out-Null

# altiris.aclient-multicast: aclient / Deployment Server multicast discovery
#   altiris.client+altiris.deployment-server -> altiris.multicast-group, udp 402
#   source: 002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.iii f-g: aclient locates the server by multicast (Multicast Address, Multicast Port); 1.i d: multicast on 224.x.x.x and 225.x.x.x; 1.i g: 224.x scope for multicast
#   observed: no flow in the database
#   note: altiris.multicast-group is not mapped in the site file: the catalog default 224.0.0.0/7 is used
New-NetFirewallRule -Name 'flowaudit-altiris.aclient-multicast' -DisplayName 'flowaudit altiris.aclient-multicast: aclient / Deployment Server multicast discovery' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '402' -LocalAddress '224.0.0.0/7' -RemoteAddress '10.0.0.50','10.0.1.0/24','10.20.1.0/24' -Description '002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.iii f-g: aclient locates the server by multicast (Multicast Address, Multicast Port); 1.i d: multicast on 224.x.x.x and 225.x.x.x; 1.i g: 224.x scope for multicast' | Out-Null

# altiris.aclient-to-server: aclient / BootWorks to Deployment Server, TCP
#   altiris.client -> altiris.deployment-server, tcp 402
#   source: 002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i c: AClient and BootWorks use static port 402 to locate the server, then dynamic ports above 1024 for file transfers; 1.iii g (4) TCP Port; 1.iii l-m: clients connect to the server IP
#   observed: 1 flow, first 2024-03-04T09:00:20.000Z, last 2024-03-04T09:00:20.002Z
New-NetFirewallRule -Name 'flowaudit-altiris.aclient-to-server' -DisplayName 'flowaudit altiris.aclient-to-server: aclient / BootWorks to Deployment Server, TCP' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '402' -LocalAddress '10.0.0.50' -RemoteAddress '10.0.1.0/24','10.20.1.0/24' -Description '002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i c: AClient and BootWorks use static port 402 to locate the server, then dynamic ports above 1024 for file transfers; 1.iii g (4) TCP Port; 1.iii l-m: clients connect to the server IP' | Out-Null

# altiris.file-transfer: File transfer on a dynamic port (client to server)
#   altiris.client -> altiris.deployment-server, tcp 50210 (follows altiris.aclient-to-server)
#   source: 002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i c: AClient and BootWorks use static port 402 to locate the server, then dynamic ports above 1024 for file transfers; 1.iii g (4) TCP Port; 1.iii l-m: clients connect to the server IP
#   observed: 1 flow, first 2024-03-04T09:00:21.500Z, last 2024-03-04T09:00:21.502Z
#   note: File transfer on a dynamic port (client to server): dynamic ports no protocol announces (a time window after the parent), configured range tcp 1025-65535 (${dynamic_first_port}-${dynamic_last_port})
#   note: narrowed to the port the stored flows used: 50210
#   note: advice (002_65c607c4a64136c4.txt, 1.iv a, "Setting a Static Port for File Transfers"): "specify a static TCP port for file transfers to the clients ... useful if you have a firewall and need to use a specific port rather than a dynamic port";
#   note: set it in the Deployment Server and as altiris.file_transfer_port in the site file, so the ports above 1024 need not be opened
New-NetFirewallRule -Name 'flowaudit-altiris.file-transfer' -DisplayName 'flowaudit altiris.file-transfer: File transfer on a dynamic port (client to server)' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '50210' -LocalAddress '10.0.0.50' -RemoteAddress '10.0.1.0/24','10.20.1.0/24' -Description '002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i c: AClient and BootWorks use static port 402 to locate the server, then dynamic ports above 1024 for file transfers; 1.iii g (4) TCP Port; 1.iii l-m: clients connect to the server IP' | Out-Null

# altiris.file-transfer-from-server: File transfer on a dynamic port (server to client)
#   altiris.deployment-server -> altiris.client, tcp 1025-65535 (follows altiris.aclient-to-server)
#   source: 002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i c: AClient and BootWorks use static port 402 to locate the server, then dynamic ports above 1024 for file transfers; 1.iii g (4) TCP Port; 1.iii l-m: clients connect to the server IP
#   observed: no flow in the database
#   note: File transfer on a dynamic port (server to client): dynamic ports no protocol announces (a time window after the parent), configured range tcp 1025-65535 (${dynamic_first_port}-${dynamic_last_port})
#   note: no follow-on flow in the database: the whole configured range
#   note: advice (002_65c607c4a64136c4.txt, 1.iv a, "Setting a Static Port for File Transfers"): "specify a static TCP port for file transfers to the clients ... useful if you have a firewall and need to use a specific port rather than a dynamic port";
#   note: set it in the Deployment Server and as altiris.file_transfer_port in the site file, so the ports above 1024 need not be opened
New-NetFirewallRule -Name 'flowaudit-altiris.file-transfer-from-server' -DisplayName 'flowaudit altiris.file-transfer-from-server: File transfer on a dynamic port (server to client)' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '1025-65535' -LocalAddress '10.0.1.0/24','10.20.1.0/24' -RemoteAddress '10.0.0.50' -Description '002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i c: AClient and BootWorks use static port 402 to locate the server, then dynamic ports above 1024 for file transfers; 1.iii g (4) TCP Port; 1.iii l-m: clients connect to the server IP' | Out-Null

# altiris.pxe-dhcp: PXE client DHCP requests
#   altiris.client -> altiris.deployment-server+altiris.dhcp-server+altiris.pxe-server+broadcast, udp 67
#   source: 002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i e: DHCP - Ports 67 & 68; 1.i f: BOOTP and DHCP servers use UDP port 67; 1.i g: port 67 opened for PXE
#   observed: no flow in the database
#   note: broadcast: 255.255.255.255, which no router forwards (it applies to the input chain of a host on the same segment)
New-NetFirewallRule -Name 'flowaudit-altiris.pxe-dhcp' -DisplayName 'flowaudit altiris.pxe-dhcp: PXE client DHCP requests' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '67' -LocalAddress '10.0.0.50','255.255.255.255' -RemoteAddress '10.0.1.0/24','10.20.1.0/24' -Description '002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i e: DHCP - Ports 67 & 68; 1.i f: BOOTP and DHCP servers use UDP port 67; 1.i g: port 67 opened for PXE' | Out-Null

# altiris.pxe-dhcp-reply: PXE / DHCP server replies to clients
#   altiris.deployment-server+altiris.dhcp-server+altiris.pxe-server -> altiris.client+broadcast, udp 68
#   source: 002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i e: DHCP - Ports 67 & 68; 1.i f: clients reserve UDP port 68 for replies from a BOOTP or DHCP server
#   observed: no flow in the database
#   note: broadcast: 255.255.255.255, which no router forwards (it applies to the input chain of a host on the same segment)
New-NetFirewallRule -Name 'flowaudit-altiris.pxe-dhcp-reply' -DisplayName 'flowaudit altiris.pxe-dhcp-reply: PXE / DHCP server replies to clients' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '68' -LocalAddress '10.0.1.0/24','10.20.1.0/24','255.255.255.255' -RemoteAddress '10.0.0.50' -Description '002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i e: DHCP - Ports 67 & 68; 1.i f: clients reserve UDP port 68 for replies from a BOOTP or DHCP server' | Out-Null

# altiris.pxe-extended-dhcp: Extended DHCP PXE request (BINL)
#   altiris.client -> altiris.deployment-server+altiris.pxe-server, udp 4011
#   source: 002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i e: Extended DHCP PXE request - Port 4011; 1.i g: port 4011
#   observed: no flow in the database
New-NetFirewallRule -Name 'flowaudit-altiris.pxe-extended-dhcp' -DisplayName 'flowaudit altiris.pxe-extended-dhcp: Extended DHCP PXE request (BINL)' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '4011' -LocalAddress '10.0.0.50' -RemoteAddress '10.0.1.0/24','10.20.1.0/24' -Description '002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i e: Extended DHCP PXE request - Port 4011; 1.i g: port 4011' | Out-Null

# altiris.pxe-mtftp: PXE boot file download, (M)TFTP
#   altiris.client -> altiris.deployment-server+altiris.pxe-server, udp 69
#   source: 002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i e: MTFTP - Port 69; 1.i g: port 69
#   observed: 1 flow, first 2024-03-04T09:00:25.000Z, last 2024-03-04T09:00:25.000Z
New-NetFirewallRule -Name 'flowaudit-altiris.pxe-mtftp' -DisplayName 'flowaudit altiris.pxe-mtftp: PXE boot file download, (M)TFTP' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '69' -LocalAddress '10.0.0.50' -RemoteAddress '10.0.1.0/24','10.20.1.0/24' -Description '002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i e: MTFTP - Port 69; 1.i g: port 69' | Out-Null

# altiris.pxe-tftp-data: TFTP transfer from the server's dynamic port
#   altiris.deployment-server+altiris.pxe-server -> altiris.client, udp 59557 (follows altiris.pxe-mtftp)
#   source: 002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i e: MTFTP - Port 69; 1.i g: port 69
#   observed: 1 flow, first 2024-03-04T09:00:25.004Z, last 2024-03-04T09:00:25.019Z
#   note: TFTP transfer from the server's dynamic port: the tftp conntrack helper on altiris.pxe-mtftp makes these connections related (nftables, iptables; Cisco ASA: inspect tftp); Windows Firewall opens udp 1024-65535
#   note: narrowed to the port the stored flows announced and used: 59557
# Windows Firewall has no tftp helper for inbound connections: the ports are opened
New-NetFirewallRule -Name 'flowaudit-altiris.pxe-tftp-data' -DisplayName 'flowaudit altiris.pxe-tftp-data: TFTP transfer from the server''s dynamic port' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '59557' -LocalAddress '10.0.1.0/24','10.20.1.0/24' -RemoteAddress '10.0.0.50' -Description '002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i e: MTFTP - Port 69; 1.i g: port 69' | Out-Null

# altiris.pxe-mtftp-multicast: MTFTP multicast boot file download
#   altiris.deployment-server+altiris.pxe-server -> altiris.multicast-group, udp 69,1024-65535
#   source: 002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i e: MTFTP - Port 69; 1.i g: ports opened for multicast, UDP and TCP traffic on the 224.x scope
#   observed: no flow in the database
#   note: altiris.multicast-group is not mapped in the site file: the catalog default 224.0.0.0/7 is used
New-NetFirewallRule -Name 'flowaudit-altiris.pxe-mtftp-multicast' -DisplayName 'flowaudit altiris.pxe-mtftp-multicast: MTFTP multicast boot file download' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '69','1024-65535' -LocalAddress '224.0.0.0/7' -RemoteAddress '10.0.0.50' -Description '002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i e: MTFTP - Port 69; 1.i g: ports opened for multicast, UDP and TCP traffic on the 224.x scope' | Out-Null

# altiris.rapideploy-multicast: RapiDeploy image multicast
#   altiris.client+altiris.deployment-server -> altiris.rapideploy-group, udp 401-402
#   source: 002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.ii b-c: RapiDeploy default IP range 224.2.0.2 - 224.2.0.3, default port range 401 - 402 (configurable, 1.i j)
#   observed: no flow in the database
#   note: altiris.rapideploy-group is not mapped in the site file: the catalog default 224.2.0.2-224.2.0.3 is used
New-NetFirewallRule -Name 'flowaudit-altiris.rapideploy-multicast' -DisplayName 'flowaudit altiris.rapideploy-multicast: RapiDeploy image multicast' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '401-402' -LocalAddress '224.2.0.2/31' -RemoteAddress '10.0.0.50','10.0.1.0/24','10.20.1.0/24' -Description '002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.ii b-c: RapiDeploy default IP range 224.2.0.2 - 224.2.0.3, default port range 401 - 402 (configurable, 1.i j)' | Out-Null

# altiris.rapidinstall-multicast: RapidInstall (RIP/MSI) multicast on dynamic ports
#   altiris.deployment-server -> altiris.multicast-group, udp 1025-65535
#   source: 002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i i ii: RapidInstall uses the complete range of 224.x.x.x and 225.x.x.x and the ports are allocated dynamically
#   observed: no flow in the database
#   note: altiris.multicast-group is not mapped in the site file: the catalog default 224.0.0.0/7 is used
New-NetFirewallRule -Name 'flowaudit-altiris.rapidinstall-multicast' -DisplayName 'flowaudit altiris.rapidinstall-multicast: RapidInstall (RIP/MSI) multicast on dynamic ports' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '1025-65535' -LocalAddress '224.0.0.0/7' -RemoteAddress '10.0.0.50' -Description '002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i i ii: RapidInstall uses the complete range of 224.x.x.x and 225.x.x.x and the ports are allocated dynamically' | Out-Null

# altiris.remote-control: Deployment Server remote control on a dynamic port
#   altiris.deployment-server -> altiris.client, tcp 1025-65535
#   source: 002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i k: the port used by Deployment Server for remote control is allocated dynamically in the range above 1024
#   observed: no flow in the database
New-NetFirewallRule -Name 'flowaudit-altiris.remote-control' -DisplayName 'flowaudit altiris.remote-control: Deployment Server remote control on a dynamic port' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '1025-65535' -LocalAddress '10.0.1.0/24','10.20.1.0/24' -RemoteAddress '10.0.0.50' -Description '002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i k: the port used by Deployment Server for remote control is allocated dynamically in the range above 1024' | Out-Null

# altiris.server-port-401-tcp: Clients to Deployment Server, TCP 401
#   altiris.client -> altiris.deployment-server, tcp 401
#   source: 002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i g: ports 67; 68; 69; 401; 402; 4011 opened for multicast, UDP and TCP traffic
#   observed: no flow in the database
New-NetFirewallRule -Name 'flowaudit-altiris.server-port-401-tcp' -DisplayName 'flowaudit altiris.server-port-401-tcp: Clients to Deployment Server, TCP 401' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '401' -LocalAddress '10.0.0.50' -RemoteAddress '10.0.1.0/24','10.20.1.0/24' -Description '002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i g: ports 67; 68; 69; 401; 402; 4011 opened for multicast, UDP and TCP traffic' | Out-Null

# altiris.server-ports-udp: Clients to Deployment Server, UDP 401-402
#   altiris.client -> altiris.deployment-server, udp 401-402
#   source: 002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i g: ports 67; 68; 69; 401; 402; 4011 opened for multicast, UDP and TCP traffic
#   observed: no flow in the database
New-NetFirewallRule -Name 'flowaudit-altiris.server-ports-udp' -DisplayName 'flowaudit altiris.server-ports-udp: Clients to Deployment Server, UDP 401-402' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '401-402' -LocalAddress '10.0.0.50' -RemoteAddress '10.0.1.0/24','10.20.1.0/24' -Description '002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i g: ports 67; 68; 69; 401; 402; 4011 opened for multicast, UDP and TCP traffic' | Out-Null

# altiris.wake-on-lan: Wake on LAN on a dynamic port
#   altiris.deployment-server -> altiris.client+broadcast, udp 1025-65535
#   source: 002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i l: the port used for sending a Wake on LAN signal is allocated dynamically in the range above 1024
#   observed: no flow in the database
#   note: broadcast: 255.255.255.255, which no router forwards (it applies to the input chain of a host on the same segment)
New-NetFirewallRule -Name 'flowaudit-altiris.wake-on-lan' -DisplayName 'flowaudit altiris.wake-on-lan: Wake on LAN on a dynamic port' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '1025-65535' -LocalAddress '10.0.1.0/24','10.20.1.0/24','255.255.255.255' -RemoteAddress '10.0.0.50' -Description '002_65c607c4a64136c4.txt (Altiris Deployment Server 5.5): 1.i l: the port used for sending a Wake on LAN signal is allocated dynamically in the range above 1024' | Out-Null

# sccm.client-to-mp: Client to management point, HTTP/HTTPS
#   sccm.client -> sccm.management-point, tcp 80,443
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Client -> Management point, HTTP, TCP 80 [5]; HTTPS, TCP 443 [5]
#   observed: 2 flows, first 2024-03-04T09:00:03.000Z, last 2024-03-04T09:00:05.090Z
New-NetFirewallRule -Name 'flowaudit-sccm.client-to-mp' -DisplayName 'flowaudit sccm.client-to-mp: Client to management point, HTTP/HTTPS' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '80','443' -LocalAddress '10.0.0.21' -RemoteAddress '10.0.1.0/24','10.20.1.0/24' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Client -> Management point, HTTP, TCP 80 [5]; HTTPS, TCP 443 [5]' | Out-Null

# sccm.client-to-pxe-dhcp: Client to PXE service point, DHCP
#   sccm.client -> broadcast+sccm.pxe-service-point, udp 67-68
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Client -> PXE service point, Dynamic Host Configuration Protocol (DHCP), UDP 67, 68
#   observed: no flow in the database
#   note: broadcast: 255.255.255.255, which no router forwards (it applies to the input chain of a host on the same segment)
New-NetFirewallRule -Name 'flowaudit-sccm.client-to-pxe-dhcp' -DisplayName 'flowaudit sccm.client-to-pxe-dhcp: Client to PXE service point, DHCP' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '67-68' -LocalAddress '255.255.255.255' -RemoteAddress '10.0.1.0/24','10.20.1.0/24' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Client -> PXE service point, Dynamic Host Configuration Protocol (DHCP), UDP 67, 68' | Out-Null

# sccm.client-to-shv-dhcp: Client to System Health Validator, DHCP (NAP)
#   sccm.client -> broadcast+sccm.system-health-validator, udp 67-68
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Client -> [7] System Heath Validator, DHCP, UDP 67, 68
#   observed: no flow in the database
#   note: broadcast: 255.255.255.255, which no router forwards (it applies to the input chain of a host on the same segment)
New-NetFirewallRule -Name 'flowaudit-sccm.client-to-shv-dhcp' -DisplayName 'flowaudit sccm.client-to-shv-dhcp: Client to System Health Validator, DHCP (NAP)' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '67-68' -LocalAddress '255.255.255.255' -RemoteAddress '10.0.1.0/24','10.20.1.0/24' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Client -> [7] System Heath Validator, DHCP, UDP 67, 68' | Out-Null

# sccm.client-to-sup: Client to software update point, WSUS HTTP/HTTPS
#   sccm.client -> sccm.software-update-point, tcp 8530-8531
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Client -> Software update point, HTTP, TCP 80 or 8530 [3]; HTTPS, TCP 443 or 8531 [3]
#   observed: no flow in the database
New-NetFirewallRule -Name 'flowaudit-sccm.client-to-sup' -DisplayName 'flowaudit sccm.client-to-sup: Client to software update point, WSUS HTTP/HTTPS' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '8530-8531' -LocalAddress '10.0.0.23' -RemoteAddress '10.0.1.0/24','10.20.1.0/24' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Client -> Software update point, HTTP, TCP 80 or 8530 [3]; HTTPS, TCP 443 or 8531 [3]' | Out-Null

# sccm.mp-sql: Management point to SQL Server, SQL Server
#   sccm.management-point -> sccm.sql-server, tcp 1433
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point -> SQL Server, SQL over TCP, TCP 1433 for default instance; DYNAMIC for named instances (port announced via UDP 1434)
#   observed: 1 flow, first 2024-03-04T09:00:06.000Z, last 2024-03-04T09:00:06.012Z
New-NetFirewallRule -Name 'flowaudit-sccm.mp-sql' -DisplayName 'flowaudit sccm.mp-sql: Management point to SQL Server, SQL Server' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '1433' -LocalAddress '10.0.0.30' -RemoteAddress '10.0.0.21' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point -> SQL Server, SQL over TCP, TCP 1433 for default instance; DYNAMIC for named instances (port announced via UDP 1434)' | Out-Null

# sccm.mp-sql-browser: Management point to SQL Server, SQL Browser (named instances)
#   sccm.management-point -> sccm.sql-server, udp 1434
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point -> SQL Server, SQL over TCP, UDP 1434 (for named instances only); TCP DYNAMIC for named instances
#   observed: 1 flow, first 2024-03-04T09:00:08.000Z, last 2024-03-04T09:00:08.000Z
New-NetFirewallRule -Name 'flowaudit-sccm.mp-sql-browser' -DisplayName 'flowaudit sccm.mp-sql-browser: Management point to SQL Server, SQL Browser (named instances)' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '1434' -LocalAddress '10.0.0.30' -RemoteAddress '10.0.0.21' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point -> SQL Server, SQL over TCP, UDP 1434 (for named instances only); TCP DYNAMIC for named instances' | Out-Null

# sccm.mp-sql-named-instance: SQL Server named instance on the port announced by SQL Browser
#   sccm.management-point -> sccm.sql-server, tcp 1455 (follows sccm.mp-sql-browser)
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point -> SQL Server, SQL over TCP, UDP 1434 (for named instances only); TCP DYNAMIC for named instances
#   observed: 1 flow, first 2024-03-04T09:00:08.010Z, last 2024-03-04T09:00:08.022Z
#   note: SQL Server named instance on the port announced by SQL Browser: dynamic ports announced via ssrp, configured range tcp 1025-65535
#   note: narrowed to the port the stored flows announced and used: 1455
New-NetFirewallRule -Name 'flowaudit-sccm.mp-sql-named-instance' -DisplayName 'flowaudit sccm.mp-sql-named-instance: SQL Server named instance on the port announced by SQL Browser' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '1455' -LocalAddress '10.0.0.30' -RemoteAddress '10.0.0.21' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point -> SQL Server, SQL over TCP, UDP 1434 (for named instances only); TCP DYNAMIC for named instances' | Out-Null

# sccm.mp-ss-rpc: Management point <-> site server, RPC endpoint mapper
#   sccm.management-point -> sccm.site-server, tcp 135
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point <-> [2] Site server, RPC Endpoint Mapper, TCP 135; Management point <-> [2] Site server, RPC, TCP DYNAMIC
#   observed: no flow in the database
#   note: the catalog allows either side to connect (<->): this is the first of two rules; the observed counts are for both
New-NetFirewallRule -Name 'flowaudit-sccm.mp-ss-rpc' -DisplayName 'flowaudit sccm.mp-ss-rpc: Management point <-> site server, RPC endpoint mapper' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort RPCEPMap -LocalAddress '10.0.0.20' -RemoteAddress '10.0.0.21' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point <-> [2] Site server, RPC Endpoint Mapper, TCP 135; Management point <-> [2] Site server, RPC, TCP DYNAMIC' | Out-Null

# sccm.mp-ss-rpc-dynamic: RPC on the dynamic port named by the endpoint mapper
#   sccm.management-point -> sccm.site-server, tcp 1025-5000,49152-65535 (follows sccm.mp-ss-rpc)
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point <-> [2] Site server, RPC Endpoint Mapper, TCP 135; Management point <-> [2] Site server, RPC, TCP DYNAMIC
#   observed: no flow in the database
#   note: RPC on the dynamic port named by the endpoint mapper: dynamic ports announced via epm, configured range tcp 1025-5000,49152-65535 (${rpc_dynamic_first_port}-${rpc_dynamic_last_port}, ${rpc_legacy_first_port}-${rpc_legacy_last_port})
#   note: no follow-on flow in the database: the whole configured range
#   note: the observed counts are for both directions of the parent
# -LocalPort RPC: the RPC dynamic ports the endpoint mapper hands out on this host
New-NetFirewallRule -Name 'flowaudit-sccm.mp-ss-rpc-dynamic' -DisplayName 'flowaudit sccm.mp-ss-rpc-dynamic: RPC on the dynamic port named by the endpoint mapper' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort RPC -LocalAddress '10.0.0.20' -RemoteAddress '10.0.0.21' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point <-> [2] Site server, RPC Endpoint Mapper, TCP 135; Management point <-> [2] Site server, RPC, TCP DYNAMIC' | Out-Null

# sccm.mp-ss-rpc:reverse: Management point <-> site server, RPC endpoint mapper
#   sccm.site-server -> sccm.management-point, tcp 135
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point <-> [2] Site server, RPC Endpoint Mapper, TCP 135; Management point <-> [2] Site server, RPC, TCP DYNAMIC
#   observed: no flow in the database
#   note: the catalog allows either side to connect (<->): this is the second of two rules; the observed counts are for both
New-NetFirewallRule -Name 'flowaudit-sccm.mp-ss-rpc:reverse' -DisplayName 'flowaudit sccm.mp-ss-rpc:reverse: Management point <-> site server, RPC endpoint mapper' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort RPCEPMap -LocalAddress '10.0.0.21' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point <-> [2] Site server, RPC Endpoint Mapper, TCP 135; Management point <-> [2] Site server, RPC, TCP DYNAMIC' | Out-Null

# sccm.mp-ss-rpc-dynamic:reverse: RPC on the dynamic port named by the endpoint mapper
#   sccm.site-server -> sccm.management-point, tcp 1025-5000,49152-65535 (follows sccm.mp-ss-rpc:reverse)
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point <-> [2] Site server, RPC Endpoint Mapper, TCP 135; Management point <-> [2] Site server, RPC, TCP DYNAMIC
#   observed: no flow in the database
#   note: RPC on the dynamic port named by the endpoint mapper: dynamic ports announced via epm, configured range tcp 1025-5000,49152-65535 (${rpc_dynamic_first_port}-${rpc_dynamic_last_port}, ${rpc_legacy_first_port}-${rpc_legacy_last_port})
#   note: no follow-on flow in the database: the whole configured range
#   note: the observed counts are for both directions of the parent
# -LocalPort RPC: the RPC dynamic ports the endpoint mapper hands out on this host
New-NetFirewallRule -Name 'flowaudit-sccm.mp-ss-rpc-dynamic:reverse' -DisplayName 'flowaudit sccm.mp-ss-rpc-dynamic:reverse: RPC on the dynamic port named by the endpoint mapper' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort RPC -LocalAddress '10.0.0.21' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point <-> [2] Site server, RPC Endpoint Mapper, TCP 135; Management point <-> [2] Site server, RPC, TCP DYNAMIC' | Out-Null

# sccm.mp-to-dc-gc: Management point to domain controller, global catalog LDAP
#   sccm.management-point -> sccm.domain-controller, tcp 3268-3269
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point -> Domain controller, Global Catalog LDAP, TCP 3268; Global Catalog LDAP SSL, TCP 3269
#   observed: no flow in the database
New-NetFirewallRule -Name 'flowaudit-sccm.mp-to-dc-gc' -DisplayName 'flowaudit sccm.mp-to-dc-gc: Management point to domain controller, global catalog LDAP' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '3268-3269' -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.21' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point -> Domain controller, Global Catalog LDAP, TCP 3268; Global Catalog LDAP SSL, TCP 3269' | Out-Null

# sccm.mp-to-dc-kerberos: Management point to domain controller, Kerberos
#   sccm.management-point -> sccm.domain-controller, tcp 88
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point -> Domain controller, Kerberos, 88
#   observed: no flow in the database
New-NetFirewallRule -Name 'flowaudit-sccm.mp-to-dc-kerberos' -DisplayName 'flowaudit sccm.mp-to-dc-kerberos: Management point to domain controller, Kerberos' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '88' -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.21' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point -> Domain controller, Kerberos, 88' | Out-Null

# sccm.mp-to-dc-kerberos-udp: Management point to domain controller, Kerberos (UDP)
#   sccm.management-point -> sccm.domain-controller, udp 88
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point -> Domain controller, Kerberos, 88
#   observed: no flow in the database
New-NetFirewallRule -Name 'flowaudit-sccm.mp-to-dc-kerberos-udp' -DisplayName 'flowaudit sccm.mp-to-dc-kerberos-udp: Management point to domain controller, Kerberos (UDP)' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '88' -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.21' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point -> Domain controller, Kerberos, 88' | Out-Null

# sccm.mp-to-dc-ldap: Management point to domain controller, LDAP
#   sccm.management-point -> sccm.domain-controller, tcp 389
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point -> Domain controller, LDAP, TCP 389
#   observed: no flow in the database
New-NetFirewallRule -Name 'flowaudit-sccm.mp-to-dc-ldap' -DisplayName 'flowaudit sccm.mp-to-dc-ldap: Management point to domain controller, LDAP' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '389' -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.21' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point -> Domain controller, LDAP, TCP 389' | Out-Null

# sccm.mp-to-dc-ldaps: Management point to domain controller, LDAP over SSL
#   sccm.management-point -> sccm.domain-controller, tcp 636
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point -> Domain controller, LDAP SSL connection, TCP 636
#   observed: no flow in the database
New-NetFirewallRule -Name 'flowaudit-sccm.mp-to-dc-ldaps' -DisplayName 'flowaudit sccm.mp-to-dc-ldaps: Management point to domain controller, LDAP over SSL' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '636' -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.21' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point -> Domain controller, LDAP SSL connection, TCP 636' | Out-Null

# sccm.mp-to-dc-ldaps-udp: Management point to domain controller, LDAP over SSL (UDP)
#   sccm.management-point -> sccm.domain-controller, udp 636
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point -> Domain controller, LDAP SSL connection, UDP 636
#   observed: no flow in the database
New-NetFirewallRule -Name 'flowaudit-sccm.mp-to-dc-ldaps-udp' -DisplayName 'flowaudit sccm.mp-to-dc-ldaps-udp: Management point to domain controller, LDAP over SSL (UDP)' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '636' -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.21' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point -> Domain controller, LDAP SSL connection, UDP 636' | Out-Null

# sccm.mp-to-dc-rpc: Management point to domain controller, RPC endpoint mapper
#   sccm.management-point -> sccm.domain-controller, tcp 135
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point -> Domain controller, RPC Endpoint Mapper, UDP 135, TCP 135; Management point -> Domain controller, RPC, TCP DYNAMIC
#   observed: no flow in the database
New-NetFirewallRule -Name 'flowaudit-sccm.mp-to-dc-rpc' -DisplayName 'flowaudit sccm.mp-to-dc-rpc: Management point to domain controller, RPC endpoint mapper' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort RPCEPMap -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.21' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point -> Domain controller, RPC Endpoint Mapper, UDP 135, TCP 135; Management point -> Domain controller, RPC, TCP DYNAMIC' | Out-Null

# sccm.mp-to-dc-rpc-dynamic: RPC on the dynamic port named by the endpoint mapper
#   sccm.management-point -> sccm.domain-controller, tcp 1025-5000,49152-65535 (follows sccm.mp-to-dc-rpc)
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point -> Domain controller, RPC Endpoint Mapper, UDP 135, TCP 135; Management point -> Domain controller, RPC, TCP DYNAMIC
#   observed: no flow in the database
#   note: RPC on the dynamic port named by the endpoint mapper: dynamic ports announced via epm, configured range tcp 1025-5000,49152-65535 (${rpc_dynamic_first_port}-${rpc_dynamic_last_port}, ${rpc_legacy_first_port}-${rpc_legacy_last_port})
#   note: no follow-on flow in the database: the whole configured range
# -LocalPort RPC: the RPC dynamic ports the endpoint mapper hands out on this host
New-NetFirewallRule -Name 'flowaudit-sccm.mp-to-dc-rpc-dynamic' -DisplayName 'flowaudit sccm.mp-to-dc-rpc-dynamic: RPC on the dynamic port named by the endpoint mapper' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort RPC -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.21' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point -> Domain controller, RPC Endpoint Mapper, UDP 135, TCP 135; Management point -> Domain controller, RPC, TCP DYNAMIC' | Out-Null

# sccm.mp-to-dc-rpc-udp: Management point to domain controller, RPC endpoint mapper (UDP)
#   sccm.management-point -> sccm.domain-controller, udp 135
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point -> Domain controller, RPC Endpoint Mapper, UDP 135
#   observed: no flow in the database
New-NetFirewallRule -Name 'flowaudit-sccm.mp-to-dc-rpc-udp' -DisplayName 'flowaudit sccm.mp-to-dc-rpc-udp: Management point to domain controller, RPC endpoint mapper (UDP)' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '135' -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.21' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Management point -> Domain controller, RPC Endpoint Mapper, UDP 135' | Out-Null

# sccm.ss-sql: Site server to SQL Server (site database), SQL Server
#   sccm.site-server -> sccm.sql-server, tcp 1433
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Primary site server -> SQL Server, SQL over TCP, TCP 1433 for default instance; DYNAMIC for named instances (port announced via UDP 1434)
#   observed: 1 flow, first 2024-03-04T09:00:07.000Z, last 2024-03-04T09:00:07.012Z
New-NetFirewallRule -Name 'flowaudit-sccm.ss-sql' -DisplayName 'flowaudit sccm.ss-sql: Site server to SQL Server (site database), SQL Server' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '1433' -LocalAddress '10.0.0.30' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Primary site server -> SQL Server, SQL over TCP, TCP 1433 for default instance; DYNAMIC for named instances (port announced via UDP 1434)' | Out-Null

# sccm.ss-sql-browser: Site server to SQL Server (site database), SQL Browser (named instances)
#   sccm.site-server -> sccm.sql-server, udp 1434
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Primary site server -> SQL Server, SQL over TCP, UDP 1434 (for named instances only); TCP DYNAMIC for named instances
#   observed: no flow in the database
New-NetFirewallRule -Name 'flowaudit-sccm.ss-sql-browser' -DisplayName 'flowaudit sccm.ss-sql-browser: Site server to SQL Server (site database), SQL Browser (named instances)' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '1434' -LocalAddress '10.0.0.30' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Primary site server -> SQL Server, SQL over TCP, UDP 1434 (for named instances only); TCP DYNAMIC for named instances' | Out-Null

# sccm.ss-sql-named-instance: SQL Server named instance on the port announced by SQL Browser
#   sccm.site-server -> sccm.sql-server, tcp 1025-65535 (follows sccm.ss-sql-browser)
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Primary site server -> SQL Server, SQL over TCP, UDP 1434 (for named instances only); TCP DYNAMIC for named instances
#   observed: no flow in the database
#   note: SQL Server named instance on the port announced by SQL Browser: dynamic ports announced via ssrp, configured range tcp 1025-65535
#   note: no follow-on flow in the database: the whole configured range
New-NetFirewallRule -Name 'flowaudit-sccm.ss-sql-named-instance' -DisplayName 'flowaudit sccm.ss-sql-named-instance: SQL Server named instance on the port announced by SQL Browser' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '1025-65535' -LocalAddress '10.0.0.30' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Primary site server -> SQL Server, SQL over TCP, UDP 1434 (for named instances only); TCP DYNAMIC for named instances' | Out-Null

# sccm.ss-sup-smb: Site server <-> software update point, SMB
#   sccm.site-server -> sccm.software-update-point, tcp 445
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server <-> [2] Software update point, SMB, TCP 445
#   observed: no flow in the database
#   note: the catalog allows either side to connect (<->): this is the first of two rules; the observed counts are for both
New-NetFirewallRule -Name 'flowaudit-sccm.ss-sup-smb' -DisplayName 'flowaudit sccm.ss-sup-smb: Site server <-> software update point, SMB' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '445' -LocalAddress '10.0.0.23' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server <-> [2] Software update point, SMB, TCP 445' | Out-Null

# sccm.ss-sup-smb:reverse: Site server <-> software update point, SMB
#   sccm.software-update-point -> sccm.site-server, tcp 445
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server <-> [2] Software update point, SMB, TCP 445
#   observed: no flow in the database
#   note: the catalog allows either side to connect (<->): this is the second of two rules; the observed counts are for both
New-NetFirewallRule -Name 'flowaudit-sccm.ss-sup-smb:reverse' -DisplayName 'flowaudit sccm.ss-sup-smb:reverse: Site server <-> software update point, SMB' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '445' -LocalAddress '10.0.0.20' -RemoteAddress '10.0.0.23' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server <-> [2] Software update point, SMB, TCP 445' | Out-Null

# sccm.ss-sup-wsus: Site server <-> software update point, WSUS web site HTTP/HTTPS
#   sccm.site-server -> sccm.software-update-point, tcp 8530-8531
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server <-> [2] Software update point, HTTP, TCP 80 or 8530 [3]; HTTPS, TCP 443 or 8531 [3]
#   observed: no flow in the database
#   note: the catalog allows either side to connect (<->): this is the first of two rules; the observed counts are for both
New-NetFirewallRule -Name 'flowaudit-sccm.ss-sup-wsus' -DisplayName 'flowaudit sccm.ss-sup-wsus: Site server <-> software update point, WSUS web site HTTP/HTTPS' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '8530-8531' -LocalAddress '10.0.0.23' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server <-> [2] Software update point, HTTP, TCP 80 or 8530 [3]; HTTPS, TCP 443 or 8531 [3]' | Out-Null

# sccm.ss-sup-wsus:reverse: Site server <-> software update point, WSUS web site HTTP/HTTPS
#   sccm.software-update-point -> sccm.site-server, tcp 8530-8531
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server <-> [2] Software update point, HTTP, TCP 80 or 8530 [3]; HTTPS, TCP 443 or 8531 [3]
#   observed: no flow in the database
#   note: the catalog allows either side to connect (<->): this is the second of two rules; the observed counts are for both
New-NetFirewallRule -Name 'flowaudit-sccm.ss-sup-wsus:reverse' -DisplayName 'flowaudit sccm.ss-sup-wsus:reverse: Site server <-> software update point, WSUS web site HTTP/HTTPS' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '8530-8531' -LocalAddress '10.0.0.20' -RemoteAddress '10.0.0.23' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server <-> [2] Software update point, HTTP, TCP 80 or 8530 [3]; HTTPS, TCP 443 or 8531 [3]' | Out-Null

# sccm.ss-to-client-push-rpc: Site server to client, client push (WMI over DCOM)
#   sccm.site-server -> sccm.client, tcp 135
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server -> Client, Client Push Installation, TCP 135; Initial Communication: WMI connection using DCOM through TCP port 135
#   observed: no flow in the database
New-NetFirewallRule -Name 'flowaudit-sccm.ss-to-client-push-rpc' -DisplayName 'flowaudit sccm.ss-to-client-push-rpc: Site server to client, client push (WMI over DCOM)' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort RPCEPMap -LocalAddress '10.0.1.0/24','10.20.1.0/24' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server -> Client, Client Push Installation, TCP 135; Initial Communication: WMI connection using DCOM through TCP port 135' | Out-Null

# sccm.ss-to-client-push-rpc-dynamic: RPC on the dynamic port named by the endpoint mapper
#   sccm.site-server -> sccm.client, tcp 1025-5000,49152-65535 (follows sccm.ss-to-client-push-rpc)
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server -> Client, Client Push Installation, TCP 135; Initial Communication: WMI connection using DCOM through TCP port 135
#   observed: no flow in the database
#   note: RPC on the dynamic port named by the endpoint mapper: dynamic ports announced via epm, configured range tcp 1025-5000,49152-65535 (${rpc_dynamic_first_port}-${rpc_dynamic_last_port}, ${rpc_legacy_first_port}-${rpc_legacy_last_port})
#   note: no follow-on flow in the database: the whole configured range
# -LocalPort RPC: the RPC dynamic ports the endpoint mapper hands out on this host
New-NetFirewallRule -Name 'flowaudit-sccm.ss-to-client-push-rpc-dynamic' -DisplayName 'flowaudit sccm.ss-to-client-push-rpc-dynamic: RPC on the dynamic port named by the endpoint mapper' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort RPC -LocalAddress '10.0.1.0/24','10.20.1.0/24' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server -> Client, Client Push Installation, TCP 135; Initial Communication: WMI connection using DCOM through TCP port 135' | Out-Null

# sccm.ss-to-client-push-smb: Site server to client, client push (admin$ share)
#   sccm.site-server -> sccm.client, tcp 445
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Initial Communication: client push makes an initial connection to the admin$ share using Windows file sharing protocols
#   observed: no flow in the database
New-NetFirewallRule -Name 'flowaudit-sccm.ss-to-client-push-smb' -DisplayName 'flowaudit sccm.ss-to-client-push-smb: Site server to client, client push (admin$ share)' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '445' -LocalAddress '10.0.1.0/24','10.20.1.0/24' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Initial Communication: client push makes an initial connection to the admin$ share using Windows file sharing protocols' | Out-Null

# sccm.ss-to-client-wol: Site server to client, Wake On LAN
#   sccm.site-server -> broadcast+sccm.client, udp 9
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server -> Client, Wake On LAN, UDP 9 [5]; Client Protocols: default port for Wake On LAN is UDP port 9, configurable
#   observed: no flow in the database
#   note: broadcast: 255.255.255.255, which no router forwards (it applies to the input chain of a host on the same segment)
New-NetFirewallRule -Name 'flowaudit-sccm.ss-to-client-wol' -DisplayName 'flowaudit sccm.ss-to-client-wol: Site server to client, Wake On LAN' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '9' -LocalAddress '10.0.1.0/24','10.20.1.0/24','255.255.255.255' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server -> Client, Wake On LAN, UDP 9 [5]; Client Protocols: default port for Wake On LAN is UDP port 9, configurable' | Out-Null

# sccm.ss-to-dc-gc: Site server to domain controller, global catalog LDAP
#   sccm.site-server -> sccm.domain-controller, tcp 3268-3269
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Primary site server -> Domain controller, Global Catalog LDAP, TCP 3268; Global Catalog LDAP SSL, TCP 3269
#   observed: no flow in the database
New-NetFirewallRule -Name 'flowaudit-sccm.ss-to-dc-gc' -DisplayName 'flowaudit sccm.ss-to-dc-gc: Site server to domain controller, global catalog LDAP' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '3268-3269' -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Primary site server -> Domain controller, Global Catalog LDAP, TCP 3268; Global Catalog LDAP SSL, TCP 3269' | Out-Null

# sccm.ss-to-dc-kerberos: Site server to domain controller, Kerberos
#   sccm.site-server -> sccm.domain-controller, tcp 88
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Primary site server -> Domain controller, Kerberos, 88
#   observed: no flow in the database
New-NetFirewallRule -Name 'flowaudit-sccm.ss-to-dc-kerberos' -DisplayName 'flowaudit sccm.ss-to-dc-kerberos: Site server to domain controller, Kerberos' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '88' -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Primary site server -> Domain controller, Kerberos, 88' | Out-Null

# sccm.ss-to-dc-kerberos-udp: Site server to domain controller, Kerberos (UDP)
#   sccm.site-server -> sccm.domain-controller, udp 88
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Primary site server -> Domain controller, Kerberos, 88
#   observed: no flow in the database
New-NetFirewallRule -Name 'flowaudit-sccm.ss-to-dc-kerberos-udp' -DisplayName 'flowaudit sccm.ss-to-dc-kerberos-udp: Site server to domain controller, Kerberos (UDP)' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '88' -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Primary site server -> Domain controller, Kerberos, 88' | Out-Null

# sccm.ss-to-dc-ldap: Site server to domain controller, LDAP
#   sccm.site-server -> sccm.domain-controller, tcp 389
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Primary site server -> Domain controller, Lightweight Directory Access Protocol (LDAP), TCP 389; Table 2: site server publishing health state reference to AD, 389 (LDAP) or 636 (LDAPS)
#   observed: no flow in the database
New-NetFirewallRule -Name 'flowaudit-sccm.ss-to-dc-ldap' -DisplayName 'flowaudit sccm.ss-to-dc-ldap: Site server to domain controller, LDAP' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '389' -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Primary site server -> Domain controller, Lightweight Directory Access Protocol (LDAP), TCP 389; Table 2: site server publishing health state reference to AD, 389 (LDAP) or 636 (LDAPS)' | Out-Null

# sccm.ss-to-dc-ldaps: Site server to domain controller, LDAP over SSL
#   sccm.site-server -> sccm.domain-controller, tcp 636
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Primary site server -> Domain controller, LDAP (Secure Sockets Layer [SSL] connection), TCP 636; Table 2: 389 (LDAP) or 636 (LDAPS)
#   observed: no flow in the database
New-NetFirewallRule -Name 'flowaudit-sccm.ss-to-dc-ldaps' -DisplayName 'flowaudit sccm.ss-to-dc-ldaps: Site server to domain controller, LDAP over SSL' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '636' -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Primary site server -> Domain controller, LDAP (Secure Sockets Layer [SSL] connection), TCP 636; Table 2: 389 (LDAP) or 636 (LDAPS)' | Out-Null

# sccm.ss-to-dc-ldaps-udp: Site server to domain controller, LDAP over SSL (UDP)
#   sccm.site-server -> sccm.domain-controller, udp 636
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Primary site server -> Domain controller, LDAP (Secure Sockets Layer [SSL] connection), UDP 636
#   observed: no flow in the database
New-NetFirewallRule -Name 'flowaudit-sccm.ss-to-dc-ldaps-udp' -DisplayName 'flowaudit sccm.ss-to-dc-ldaps-udp: Site server to domain controller, LDAP over SSL (UDP)' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '636' -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Primary site server -> Domain controller, LDAP (Secure Sockets Layer [SSL] connection), UDP 636' | Out-Null

# sccm.ss-to-dc-rpc: Site server to domain controller, RPC endpoint mapper
#   sccm.site-server -> sccm.domain-controller, tcp 135
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Primary site server -> Domain controller, RPC Endpoint Mapper, UDP 135, TCP 135; Primary site server -> Domain controller, RPC, TCP DYNAMIC
#   observed: 1 flow, first 2024-03-04T09:00:10.000Z, last 2024-03-04T09:00:10.002Z
New-NetFirewallRule -Name 'flowaudit-sccm.ss-to-dc-rpc' -DisplayName 'flowaudit sccm.ss-to-dc-rpc: Site server to domain controller, RPC endpoint mapper' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort RPCEPMap -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Primary site server -> Domain controller, RPC Endpoint Mapper, UDP 135, TCP 135; Primary site server -> Domain controller, RPC, TCP DYNAMIC' | Out-Null

# sccm.ss-to-dc-rpc-dynamic: RPC on the dynamic port named by the endpoint mapper
#   sccm.site-server -> sccm.domain-controller, tcp 49667 (follows sccm.ss-to-dc-rpc)
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Primary site server -> Domain controller, RPC Endpoint Mapper, UDP 135, TCP 135; Primary site server -> Domain controller, RPC, TCP DYNAMIC
#   observed: 1 flow, first 2024-03-04T09:00:10.006Z, last 2024-03-04T09:00:10.008Z
#   note: RPC on the dynamic port named by the endpoint mapper: dynamic ports announced via epm, configured range tcp 1025-5000,49152-65535 (${rpc_dynamic_first_port}-${rpc_dynamic_last_port}, ${rpc_legacy_first_port}-${rpc_legacy_last_port})
#   note: narrowed to the port the stored flows announced and used: 49667
# -LocalPort RPC: the RPC dynamic ports the endpoint mapper hands out on this host
New-NetFirewallRule -Name 'flowaudit-sccm.ss-to-dc-rpc-dynamic' -DisplayName 'flowaudit sccm.ss-to-dc-rpc-dynamic: RPC on the dynamic port named by the endpoint mapper' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort RPC -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Primary site server -> Domain controller, RPC Endpoint Mapper, UDP 135, TCP 135; Primary site server -> Domain controller, RPC, TCP DYNAMIC' | Out-Null

# sccm.ss-to-dc-rpc-udp: Site server to domain controller, RPC endpoint mapper (UDP)
#   sccm.site-server -> sccm.domain-controller, udp 135
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Primary site server -> Domain controller, RPC Endpoint Mapper, UDP 135
#   observed: no flow in the database
New-NetFirewallRule -Name 'flowaudit-sccm.ss-to-dc-rpc-udp' -DisplayName 'flowaudit sccm.ss-to-dc-rpc-udp: Site server to domain controller, RPC endpoint mapper (UDP)' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '135' -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Primary site server -> Domain controller, RPC Endpoint Mapper, UDP 135' | Out-Null

# sccm.ss-to-ss-pptp: Site server <-> site server, PPTP (RAS sender)
#   sccm.site-server -> sccm.site-server, tcp 1723
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server <-> Site server, Point-to-Point Tunneling Protocol (PPTP), TCP 1723 [1]
#   observed: no flow in the database
#   note: the catalog allows either side to connect (<->): this is the first of two rules; the observed counts are for both
New-NetFirewallRule -Name 'flowaudit-sccm.ss-to-ss-pptp' -DisplayName 'flowaudit sccm.ss-to-ss-pptp: Site server <-> site server, PPTP (RAS sender)' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '1723' -LocalAddress '10.0.0.20' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server <-> Site server, Point-to-Point Tunneling Protocol (PPTP), TCP 1723 [1]' | Out-Null

# sccm.ss-to-ss-pptp:reverse: Site server <-> site server, PPTP (RAS sender)
#   sccm.site-server -> sccm.site-server, tcp 1723
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server <-> Site server, Point-to-Point Tunneling Protocol (PPTP), TCP 1723 [1]
#   observed: no flow in the database
#   note: the catalog allows either side to connect (<->): this is the second of two rules; the observed counts are for both
New-NetFirewallRule -Name 'flowaudit-sccm.ss-to-ss-pptp:reverse' -DisplayName 'flowaudit sccm.ss-to-ss-pptp:reverse: Site server <-> site server, PPTP (RAS sender)' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '1723' -LocalAddress '10.0.0.20' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server <-> Site server, Point-to-Point Tunneling Protocol (PPTP), TCP 1723 [1]' | Out-Null

# sccm.ss-to-ss-smb: Site server <-> site server, SMB
#   sccm.site-server -> sccm.site-server, tcp 445
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server <-> Site server, SMB, TCP 445
#   observed: no flow in the database
#   note: the catalog allows either side to connect (<->): this is the first of two rules; the observed counts are for both
New-NetFirewallRule -Name 'flowaudit-sccm.ss-to-ss-smb' -DisplayName 'flowaudit sccm.ss-to-ss-smb: Site server <-> site server, SMB' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '445' -LocalAddress '10.0.0.20' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server <-> Site server, SMB, TCP 445' | Out-Null

# sccm.ss-to-ss-smb:reverse: Site server <-> site server, SMB
#   sccm.site-server -> sccm.site-server, tcp 445
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server <-> Site server, SMB, TCP 445
#   observed: no flow in the database
#   note: the catalog allows either side to connect (<->): this is the second of two rules; the observed counts are for both
New-NetFirewallRule -Name 'flowaudit-sccm.ss-to-ss-smb:reverse' -DisplayName 'flowaudit sccm.ss-to-ss-smb:reverse: Site server <-> site server, SMB' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '445' -LocalAddress '10.0.0.20' -RemoteAddress '10.0.0.20' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Site server <-> Site server, SMB, TCP 445' | Out-Null

# sccm.sup-to-internet: Software update point to Microsoft Update, HTTP
#   sccm.software-update-point -> internet, tcp 80
#   source: 001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Software update point -> Internet, HTTP, TCP 80 [3]
#   observed: no flow in the database
#   note: internet: every public IPv4 address (all but private, special-use, multicast and the site's `sites` subnets) and IPv6 global unicast 2000::/3 outside those subnets
New-NetFirewallRule -Name 'flowaudit-sccm.sup-to-internet' -DisplayName 'flowaudit sccm.sup-to-internet: Software update point to Microsoft Update, HTTP' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '80' -LocalAddress '1.0.0.0/8','2.0.0.0/7','4.0.0.0/6','8.0.0.0/7','11.0.0.0/8','12.0.0.0/6','16.0.0.0/4','32.0.0.0/3','64.0.0.0/3','96.0.0.0/6','100.0.0.0/10','100.128.0.0/9','101.0.0.0/8','102.0.0.0/7','104.0.0.0/5','112.0.0.0/5','120.0.0.0/6','124.0.0.0/7','126.0.0.0/8','128.0.0.0/3','160.0.0.0/5','168.0.0.0/8','169.0.0.0/9','169.128.0.0/10','169.192.0.0/11','169.224.0.0/12','169.240.0.0/13','169.248.0.0/14','169.252.0.0/15','169.255.0.0/16','170.0.0.0/7','172.0.0.0/12','172.32.0.0/11','172.64.0.0/10','172.128.0.0/9','173.0.0.0/8','174.0.0.0/7','176.0.0.0/4','192.0.0.0/9','192.128.0.0/11','192.160.0.0/13','192.169.0.0/16','192.170.0.0/15','192.172.0.0/14','192.176.0.0/12','192.192.0.0/10','193.0.0.0/8','194.0.0.0/7','196.0.0.0/7','198.0.0.0/12','198.16.0.0/15','198.20.0.0/14','198.24.0.0/13','198.32.0.0/11','198.64.0.0/10','198.128.0.0/9','199.0.0.0/8','200.0.0.0/5','208.0.0.0/4','2000::/3' -RemoteAddress '10.0.0.23' -Description '001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007): Table 1: Software update point -> Internet, HTTP, TCP 80 [3]' | Out-Null

# win.dhcp: DHCP client requests
#   win.domain-member -> broadcast+win.dhcp-server, udp 67
#   source: Microsoft KB 832017: DHCP Server: UDP 67
#   observed: no flow in the database
#   note: win.domain-member is not mapped in the site file: the catalog default internal is used
#   note: internal: RFC 1918, 100.64.0.0/10, link-local, fc00::/7 and fe80::/10, plus the site's `sites` subnets (loopback and other special-use blocks left out)
#   note: broadcast: 255.255.255.255, which no router forwards (it applies to the input chain of a host on the same segment)
New-NetFirewallRule -Name 'flowaudit-win.dhcp' -DisplayName 'flowaudit win.dhcp: DHCP client requests' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '67' -LocalAddress '255.255.255.255' -RemoteAddress '10.0.0.0/8','100.64.0.0/10','169.254.0.0/16','172.16.0.0/12','192.168.0.0/16','fc00::/7','fe80::/10' -Description 'Microsoft KB 832017: DHCP Server: UDP 67' | Out-Null

# win.dns-forward-tcp: DNS forwarding / root hints to the internet, TCP
#   win.dns-server+win.domain-controller -> internet, tcp 53
#   source: Microsoft KB 832017: DNS Server: TCP 53 (recursive resolution)
#   observed: no flow in the database
#   note: internet: every public IPv4 address (all but private, special-use, multicast and the site's `sites` subnets) and IPv6 global unicast 2000::/3 outside those subnets
New-NetFirewallRule -Name 'flowaudit-win.dns-forward-tcp' -DisplayName 'flowaudit win.dns-forward-tcp: DNS forwarding / root hints to the internet, TCP' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '53' -LocalAddress '1.0.0.0/8','2.0.0.0/7','4.0.0.0/6','8.0.0.0/7','11.0.0.0/8','12.0.0.0/6','16.0.0.0/4','32.0.0.0/3','64.0.0.0/3','96.0.0.0/6','100.0.0.0/10','100.128.0.0/9','101.0.0.0/8','102.0.0.0/7','104.0.0.0/5','112.0.0.0/5','120.0.0.0/6','124.0.0.0/7','126.0.0.0/8','128.0.0.0/3','160.0.0.0/5','168.0.0.0/8','169.0.0.0/9','169.128.0.0/10','169.192.0.0/11','169.224.0.0/12','169.240.0.0/13','169.248.0.0/14','169.252.0.0/15','169.255.0.0/16','170.0.0.0/7','172.0.0.0/12','172.32.0.0/11','172.64.0.0/10','172.128.0.0/9','173.0.0.0/8','174.0.0.0/7','176.0.0.0/4','192.0.0.0/9','192.128.0.0/11','192.160.0.0/13','192.169.0.0/16','192.170.0.0/15','192.172.0.0/14','192.176.0.0/12','192.192.0.0/10','193.0.0.0/8','194.0.0.0/7','196.0.0.0/7','198.0.0.0/12','198.16.0.0/15','198.20.0.0/14','198.24.0.0/13','198.32.0.0/11','198.64.0.0/10','198.128.0.0/9','199.0.0.0/8','200.0.0.0/5','208.0.0.0/4','2000::/3' -RemoteAddress '10.0.0.10' -Description 'Microsoft KB 832017: DNS Server: TCP 53 (recursive resolution)' | Out-Null

# win.dns-forward-udp: DNS forwarding / root hints to the internet, UDP
#   win.dns-server+win.domain-controller -> internet, udp 53
#   source: Microsoft KB 832017: DNS Server: UDP 53 (recursive resolution)
#   observed: no flow in the database
#   note: internet: every public IPv4 address (all but private, special-use, multicast and the site's `sites` subnets) and IPv6 global unicast 2000::/3 outside those subnets
New-NetFirewallRule -Name 'flowaudit-win.dns-forward-udp' -DisplayName 'flowaudit win.dns-forward-udp: DNS forwarding / root hints to the internet, UDP' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '53' -LocalAddress '1.0.0.0/8','2.0.0.0/7','4.0.0.0/6','8.0.0.0/7','11.0.0.0/8','12.0.0.0/6','16.0.0.0/4','32.0.0.0/3','64.0.0.0/3','96.0.0.0/6','100.0.0.0/10','100.128.0.0/9','101.0.0.0/8','102.0.0.0/7','104.0.0.0/5','112.0.0.0/5','120.0.0.0/6','124.0.0.0/7','126.0.0.0/8','128.0.0.0/3','160.0.0.0/5','168.0.0.0/8','169.0.0.0/9','169.128.0.0/10','169.192.0.0/11','169.224.0.0/12','169.240.0.0/13','169.248.0.0/14','169.252.0.0/15','169.255.0.0/16','170.0.0.0/7','172.0.0.0/12','172.32.0.0/11','172.64.0.0/10','172.128.0.0/9','173.0.0.0/8','174.0.0.0/7','176.0.0.0/4','192.0.0.0/9','192.128.0.0/11','192.160.0.0/13','192.169.0.0/16','192.170.0.0/15','192.172.0.0/14','192.176.0.0/12','192.192.0.0/10','193.0.0.0/8','194.0.0.0/7','196.0.0.0/7','198.0.0.0/12','198.16.0.0/15','198.20.0.0/14','198.24.0.0/13','198.32.0.0/11','198.64.0.0/10','198.128.0.0/9','199.0.0.0/8','200.0.0.0/5','208.0.0.0/4','2000::/3' -RemoteAddress '10.0.0.10' -Description 'Microsoft KB 832017: DNS Server: UDP 53 (recursive resolution)' | Out-Null

# win.dns-tcp: DNS queries and zone transfers, TCP
#   win.domain-member -> win.dns-server+win.domain-controller, tcp 53
#   source: Microsoft KB 832017: DNS Server: TCP 53
#   observed: no flow in the database
#   note: win.domain-member is not mapped in the site file: the catalog default internal is used
#   note: internal: RFC 1918, 100.64.0.0/10, link-local, fc00::/7 and fe80::/10, plus the site's `sites` subnets (loopback and other special-use blocks left out)
New-NetFirewallRule -Name 'flowaudit-win.dns-tcp' -DisplayName 'flowaudit win.dns-tcp: DNS queries and zone transfers, TCP' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '53' -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.0/8','100.64.0.0/10','169.254.0.0/16','172.16.0.0/12','192.168.0.0/16','fc00::/7','fe80::/10' -Description 'Microsoft KB 832017: DNS Server: TCP 53' | Out-Null

# win.dns-udp: DNS queries, UDP
#   win.domain-member -> win.dns-server+win.domain-controller, udp 53
#   source: Microsoft KB 832017: DNS Server: UDP 53
#   observed: 2 flows, first 2024-03-04T09:00:00.500Z, last 2024-03-04T09:00:01.600Z
#   note: win.domain-member is not mapped in the site file: the catalog default internal is used
#   note: internal: RFC 1918, 100.64.0.0/10, link-local, fc00::/7 and fe80::/10, plus the site's `sites` subnets (loopback and other special-use blocks left out)
New-NetFirewallRule -Name 'flowaudit-win.dns-udp' -DisplayName 'flowaudit win.dns-udp: DNS queries, UDP' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '53' -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.0/8','100.64.0.0/10','169.254.0.0/16','172.16.0.0/12','192.168.0.0/16','fc00::/7','fe80::/10' -Description 'Microsoft KB 832017: DNS Server: UDP 53' | Out-Null

# win.global-catalog: Global catalog LDAP and LDAP over SSL
#   win.domain-member -> win.domain-controller, tcp 3268-3269
#   source: Microsoft KB 832017: Active Directory: Global catalog TCP 3268, Global catalog SSL TCP 3269
#   observed: no flow in the database
#   note: win.domain-member is not mapped in the site file: the catalog default internal is used
#   note: internal: RFC 1918, 100.64.0.0/10, link-local, fc00::/7 and fe80::/10, plus the site's `sites` subnets (loopback and other special-use blocks left out)
New-NetFirewallRule -Name 'flowaudit-win.global-catalog' -DisplayName 'flowaudit win.global-catalog: Global catalog LDAP and LDAP over SSL' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '3268-3269' -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.0/8','100.64.0.0/10','169.254.0.0/16','172.16.0.0/12','192.168.0.0/16','fc00::/7','fe80::/10' -Description 'Microsoft KB 832017: Active Directory: Global catalog TCP 3268, Global catalog SSL TCP 3269' | Out-Null

# win.kerberos-tcp: Kerberos, TCP
#   win.domain-member -> win.domain-controller, tcp 88
#   source: Microsoft KB 832017: Active Directory / Kerberos Key Distribution Center: TCP 88
#   observed: 1 flow, first 2024-03-04T09:00:00.800Z, last 2024-03-04T09:00:00.801Z
#   note: win.domain-member is not mapped in the site file: the catalog default internal is used
#   note: internal: RFC 1918, 100.64.0.0/10, link-local, fc00::/7 and fe80::/10, plus the site's `sites` subnets (loopback and other special-use blocks left out)
New-NetFirewallRule -Name 'flowaudit-win.kerberos-tcp' -DisplayName 'flowaudit win.kerberos-tcp: Kerberos, TCP' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '88' -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.0/8','100.64.0.0/10','169.254.0.0/16','172.16.0.0/12','192.168.0.0/16','fc00::/7','fe80::/10' -Description 'Microsoft KB 832017: Active Directory / Kerberos Key Distribution Center: TCP 88' | Out-Null

# win.kerberos-udp: Kerberos, UDP
#   win.domain-member -> win.domain-controller, udp 88
#   source: Microsoft KB 832017: Active Directory / Kerberos Key Distribution Center: UDP 88
#   observed: no flow in the database
#   note: win.domain-member is not mapped in the site file: the catalog default internal is used
#   note: internal: RFC 1918, 100.64.0.0/10, link-local, fc00::/7 and fe80::/10, plus the site's `sites` subnets (loopback and other special-use blocks left out)
New-NetFirewallRule -Name 'flowaudit-win.kerberos-udp' -DisplayName 'flowaudit win.kerberos-udp: Kerberos, UDP' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '88' -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.0/8','100.64.0.0/10','169.254.0.0/16','172.16.0.0/12','192.168.0.0/16','fc00::/7','fe80::/10' -Description 'Microsoft KB 832017: Active Directory / Kerberos Key Distribution Center: UDP 88' | Out-Null

# win.kpasswd-tcp: Kerberos password change, TCP
#   win.domain-member -> win.domain-controller, tcp 464
#   source: Microsoft KB 832017: Kerberos password change (kpasswd): TCP 464
#   observed: no flow in the database
#   note: win.domain-member is not mapped in the site file: the catalog default internal is used
#   note: internal: RFC 1918, 100.64.0.0/10, link-local, fc00::/7 and fe80::/10, plus the site's `sites` subnets (loopback and other special-use blocks left out)
New-NetFirewallRule -Name 'flowaudit-win.kpasswd-tcp' -DisplayName 'flowaudit win.kpasswd-tcp: Kerberos password change, TCP' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '464' -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.0/8','100.64.0.0/10','169.254.0.0/16','172.16.0.0/12','192.168.0.0/16','fc00::/7','fe80::/10' -Description 'Microsoft KB 832017: Kerberos password change (kpasswd): TCP 464' | Out-Null

# win.kpasswd-udp: Kerberos password change, UDP
#   win.domain-member -> win.domain-controller, udp 464
#   source: Microsoft KB 832017: Kerberos password change (kpasswd): UDP 464
#   observed: no flow in the database
#   note: win.domain-member is not mapped in the site file: the catalog default internal is used
#   note: internal: RFC 1918, 100.64.0.0/10, link-local, fc00::/7 and fe80::/10, plus the site's `sites` subnets (loopback and other special-use blocks left out)
New-NetFirewallRule -Name 'flowaudit-win.kpasswd-udp' -DisplayName 'flowaudit win.kpasswd-udp: Kerberos password change, UDP' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '464' -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.0/8','100.64.0.0/10','169.254.0.0/16','172.16.0.0/12','192.168.0.0/16','fc00::/7','fe80::/10' -Description 'Microsoft KB 832017: Kerberos password change (kpasswd): UDP 464' | Out-Null

# win.ldap-tcp: LDAP, TCP
#   win.domain-member -> win.domain-controller, tcp 389
#   source: Microsoft KB 832017: Active Directory: LDAP TCP 389
#   observed: 1 flow, first 2024-03-04T09:00:01.100Z, last 2024-03-04T09:00:01.102Z
#   note: win.domain-member is not mapped in the site file: the catalog default internal is used
#   note: internal: RFC 1918, 100.64.0.0/10, link-local, fc00::/7 and fe80::/10, plus the site's `sites` subnets (loopback and other special-use blocks left out)
New-NetFirewallRule -Name 'flowaudit-win.ldap-tcp' -DisplayName 'flowaudit win.ldap-tcp: LDAP, TCP' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '389' -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.0/8','100.64.0.0/10','169.254.0.0/16','172.16.0.0/12','192.168.0.0/16','fc00::/7','fe80::/10' -Description 'Microsoft KB 832017: Active Directory: LDAP TCP 389' | Out-Null

# win.ldap-udp: Connectionless LDAP (DC locator), UDP
#   win.domain-member -> win.domain-controller, udp 389
#   source: Microsoft KB 832017: Active Directory: LDAP UDP 389
#   observed: no flow in the database
#   note: win.domain-member is not mapped in the site file: the catalog default internal is used
#   note: internal: RFC 1918, 100.64.0.0/10, link-local, fc00::/7 and fe80::/10, plus the site's `sites` subnets (loopback and other special-use blocks left out)
New-NetFirewallRule -Name 'flowaudit-win.ldap-udp' -DisplayName 'flowaudit win.ldap-udp: Connectionless LDAP (DC locator), UDP' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '389' -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.0/8','100.64.0.0/10','169.254.0.0/16','172.16.0.0/12','192.168.0.0/16','fc00::/7','fe80::/10' -Description 'Microsoft KB 832017: Active Directory: LDAP UDP 389' | Out-Null

# win.ldaps: LDAP over SSL
#   win.domain-member -> win.domain-controller, tcp 636
#   source: Microsoft KB 832017: Active Directory: LDAP SSL TCP 636
#   observed: no flow in the database
#   note: win.domain-member is not mapped in the site file: the catalog default internal is used
#   note: internal: RFC 1918, 100.64.0.0/10, link-local, fc00::/7 and fe80::/10, plus the site's `sites` subnets (loopback and other special-use blocks left out)
New-NetFirewallRule -Name 'flowaudit-win.ldaps' -DisplayName 'flowaudit win.ldaps: LDAP over SSL' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '636' -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.0/8','100.64.0.0/10','169.254.0.0/16','172.16.0.0/12','192.168.0.0/16','fc00::/7','fe80::/10' -Description 'Microsoft KB 832017: Active Directory: LDAP SSL TCP 636' | Out-Null

# win.netbios-datagram: NetBIOS datagram service
#   win.domain-member -> broadcast+win.domain-controller, udp 138
#   source: Microsoft KB 832017: NetBIOS Datagram Service: UDP 138
#   observed: no flow in the database
#   note: win.domain-member is not mapped in the site file: the catalog default internal is used
#   note: internal: RFC 1918, 100.64.0.0/10, link-local, fc00::/7 and fe80::/10, plus the site's `sites` subnets (loopback and other special-use blocks left out)
#   note: broadcast: 255.255.255.255, which no router forwards (it applies to the input chain of a host on the same segment)
New-NetFirewallRule -Name 'flowaudit-win.netbios-datagram' -DisplayName 'flowaudit win.netbios-datagram: NetBIOS datagram service' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '138' -LocalAddress '10.0.0.10','255.255.255.255' -RemoteAddress '10.0.0.0/8','100.64.0.0/10','169.254.0.0/16','172.16.0.0/12','192.168.0.0/16','fc00::/7','fe80::/10' -Description 'Microsoft KB 832017: NetBIOS Datagram Service: UDP 138' | Out-Null

# win.netbios-ns: NetBIOS name service
#   win.domain-member -> broadcast+win.domain-controller, udp 137
#   source: Microsoft KB 832017: NetBIOS Name Resolution: UDP 137
#   observed: no flow in the database
#   note: win.domain-member is not mapped in the site file: the catalog default internal is used
#   note: internal: RFC 1918, 100.64.0.0/10, link-local, fc00::/7 and fe80::/10, plus the site's `sites` subnets (loopback and other special-use blocks left out)
#   note: broadcast: 255.255.255.255, which no router forwards (it applies to the input chain of a host on the same segment)
New-NetFirewallRule -Name 'flowaudit-win.netbios-ns' -DisplayName 'flowaudit win.netbios-ns: NetBIOS name service' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '137' -LocalAddress '10.0.0.10','255.255.255.255' -RemoteAddress '10.0.0.0/8','100.64.0.0/10','169.254.0.0/16','172.16.0.0/12','192.168.0.0/16','fc00::/7','fe80::/10' -Description 'Microsoft KB 832017: NetBIOS Name Resolution: UDP 137' | Out-Null

# win.netbios-session: NetBIOS session service
#   win.domain-member -> win.domain-controller, tcp 139
#   source: Microsoft KB 832017: NetBIOS Session Service: TCP 139
#   observed: no flow in the database
#   note: win.domain-member is not mapped in the site file: the catalog default internal is used
#   note: internal: RFC 1918, 100.64.0.0/10, link-local, fc00::/7 and fe80::/10, plus the site's `sites` subnets (loopback and other special-use blocks left out)
New-NetFirewallRule -Name 'flowaudit-win.netbios-session' -DisplayName 'flowaudit win.netbios-session: NetBIOS session service' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '139' -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.0/8','100.64.0.0/10','169.254.0.0/16','172.16.0.0/12','192.168.0.0/16','fc00::/7','fe80::/10' -Description 'Microsoft KB 832017: NetBIOS Session Service: TCP 139' | Out-Null

# win.ntp: Time synchronisation (W32Time)
#   win.domain-member -> win.domain-controller+win.ntp-server, udp 123
#   source: Microsoft KB 832017: Windows Time: NTP UDP 123
#   observed: no flow in the database
#   note: win.domain-member is not mapped in the site file: the catalog default internal is used
#   note: internal: RFC 1918, 100.64.0.0/10, link-local, fc00::/7 and fe80::/10, plus the site's `sites` subnets (loopback and other special-use blocks left out)
New-NetFirewallRule -Name 'flowaudit-win.ntp' -DisplayName 'flowaudit win.ntp: Time synchronisation (W32Time)' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '123' -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.0/8','100.64.0.0/10','169.254.0.0/16','172.16.0.0/12','192.168.0.0/16','fc00::/7','fe80::/10' -Description 'Microsoft KB 832017: Windows Time: NTP UDP 123' | Out-Null

# win.ntp-upstream: Domain controller time source
#   win.domain-controller -> internet+win.ntp-server, udp 123
#   source: Microsoft KB 832017: Windows Time: NTP UDP 123 (PDC emulator to external source)
#   observed: no flow in the database
#   note: internet: every public IPv4 address (all but private, special-use, multicast and the site's `sites` subnets) and IPv6 global unicast 2000::/3 outside those subnets
New-NetFirewallRule -Name 'flowaudit-win.ntp-upstream' -DisplayName 'flowaudit win.ntp-upstream: Domain controller time source' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '123' -LocalAddress '1.0.0.0/8','2.0.0.0/7','4.0.0.0/6','8.0.0.0/7','11.0.0.0/8','12.0.0.0/6','16.0.0.0/4','32.0.0.0/3','64.0.0.0/3','96.0.0.0/6','100.0.0.0/10','100.128.0.0/9','101.0.0.0/8','102.0.0.0/7','104.0.0.0/5','112.0.0.0/5','120.0.0.0/6','124.0.0.0/7','126.0.0.0/8','128.0.0.0/3','160.0.0.0/5','168.0.0.0/8','169.0.0.0/9','169.128.0.0/10','169.192.0.0/11','169.224.0.0/12','169.240.0.0/13','169.248.0.0/14','169.252.0.0/15','169.255.0.0/16','170.0.0.0/7','172.0.0.0/12','172.32.0.0/11','172.64.0.0/10','172.128.0.0/9','173.0.0.0/8','174.0.0.0/7','176.0.0.0/4','192.0.0.0/9','192.128.0.0/11','192.160.0.0/13','192.169.0.0/16','192.170.0.0/15','192.172.0.0/14','192.176.0.0/12','192.192.0.0/10','193.0.0.0/8','194.0.0.0/7','196.0.0.0/7','198.0.0.0/12','198.16.0.0/15','198.20.0.0/14','198.24.0.0/13','198.32.0.0/11','198.64.0.0/10','198.128.0.0/9','199.0.0.0/8','200.0.0.0/5','208.0.0.0/4','2000::/3' -RemoteAddress '10.0.0.10' -Description 'Microsoft KB 832017: Windows Time: NTP UDP 123 (PDC emulator to external source)' | Out-Null

# win.rpc: RPC endpoint mapper on domain controllers
#   win.domain-member -> win.domain-controller, tcp 135
#   source: Microsoft KB 832017: RPC endpoint mapper TCP 135; RPC dynamic ports TCP 49152-65535 (1025-5000 before Windows Vista / Server 2008)
#   observed: no flow in the database
#   note: win.domain-member is not mapped in the site file: the catalog default internal is used
#   note: internal: RFC 1918, 100.64.0.0/10, link-local, fc00::/7 and fe80::/10, plus the site's `sites` subnets (loopback and other special-use blocks left out)
New-NetFirewallRule -Name 'flowaudit-win.rpc' -DisplayName 'flowaudit win.rpc: RPC endpoint mapper on domain controllers' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort RPCEPMap -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.0/8','100.64.0.0/10','169.254.0.0/16','172.16.0.0/12','192.168.0.0/16','fc00::/7','fe80::/10' -Description 'Microsoft KB 832017: RPC endpoint mapper TCP 135; RPC dynamic ports TCP 49152-65535 (1025-5000 before Windows Vista / Server 2008)' | Out-Null

# win.rpc-dynamic: RPC on the dynamic port named by the endpoint mapper
#   win.domain-member -> win.domain-controller, tcp 1025-5000,49152-65535 (follows win.rpc)
#   source: Microsoft KB 832017: RPC endpoint mapper TCP 135; RPC dynamic ports TCP 49152-65535 (1025-5000 before Windows Vista / Server 2008)
#   observed: no flow in the database
#   note: RPC on the dynamic port named by the endpoint mapper: dynamic ports announced via epm, configured range tcp 1025-5000,49152-65535 (${rpc_dynamic_first_port}-${rpc_dynamic_last_port}, ${rpc_legacy_first_port}-${rpc_legacy_last_port})
#   note: no follow-on flow in the database: the whole configured range
#   note: win.domain-member is not mapped in the site file: the catalog default internal is used
#   note: internal: RFC 1918, 100.64.0.0/10, link-local, fc00::/7 and fe80::/10, plus the site's `sites` subnets (loopback and other special-use blocks left out)
# -LocalPort RPC: the RPC dynamic ports the endpoint mapper hands out on this host
New-NetFirewallRule -Name 'flowaudit-win.rpc-dynamic' -DisplayName 'flowaudit win.rpc-dynamic: RPC on the dynamic port named by the endpoint mapper' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort RPC -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.0/8','100.64.0.0/10','169.254.0.0/16','172.16.0.0/12','192.168.0.0/16','fc00::/7','fe80::/10' -Description 'Microsoft KB 832017: RPC endpoint mapper TCP 135; RPC dynamic ports TCP 49152-65535 (1025-5000 before Windows Vista / Server 2008)' | Out-Null

# win.smb: SMB to domain controllers (SYSVOL, NETLOGON, group policy)
#   win.domain-member -> win.domain-controller, tcp 445
#   source: Microsoft KB 832017: Active Directory / Net Logon: SMB TCP 445
#   observed: no flow in the database
#   note: win.domain-member is not mapped in the site file: the catalog default internal is used
#   note: internal: RFC 1918, 100.64.0.0/10, link-local, fc00::/7 and fe80::/10, plus the site's `sites` subnets (loopback and other special-use blocks left out)
New-NetFirewallRule -Name 'flowaudit-win.smb' -DisplayName 'flowaudit win.smb: SMB to domain controllers (SYSVOL, NETLOGON, group policy)' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '445' -LocalAddress '10.0.0.10' -RemoteAddress '10.0.0.0/8','100.64.0.0/10','169.254.0.0/16','172.16.0.0/12','192.168.0.0/16','fc00::/7','fe80::/10' -Description 'Microsoft KB 832017: Active Directory / Net Logon: SMB TCP 445' | Out-Null

# not exported:
#   1e.master-to-connector-sql: no addresses in this site for 1e.connector-sql-server
#   1e.master-to-smtp: no addresses in this site for 1e.smtp-server
#   1e.master-wmi-rpc: no addresses in this site for 1e.wmi-target
#   1e.master-wmi-rpc-dynamic: follows 1e.master-wmi-rpc, which is not exported
#   1e.master-wmi-smb: no addresses in this site for 1e.wmi-target
#   altiris.file-transfer-static: no port: ${file_transfer_port} is not in use for this site (parameter 0); 002_65c607c4a64136c4.txt, 1.iv a: the static file-transfer port replaces the dynamic ports above 1024 (default 0 = dynamic); set altiris.file_transfer_port in the site file to export it
#   sccm.aisp-to-sco: no addresses in this site for sccm.asset-intelligence-sync-point
#   sccm.amt-to-oob-provisioning: no addresses in this site for sccm.amt-controller nor sccm.out-of-band-service-point
#   sccm.bdp-to-dp: no addresses in this site for sccm.branch-distribution-point nor sccm.distribution-point
#   sccm.client-to-bdp-smb: no addresses in this site for sccm.branch-distribution-point
#   sccm.client-to-dp-http: no addresses in this site for sccm.distribution-point
#   sccm.client-to-dp-multicast: no addresses in this site for sccm.distribution-point
#   sccm.client-to-dp-smb: no addresses in this site for sccm.distribution-point
#   sccm.client-to-fsp: no addresses in this site for sccm.fallback-status-point
#   sccm.client-to-pxe-binl: no addresses in this site for sccm.pxe-service-point
#   sccm.client-to-pxe-tftp: no addresses in this site for sccm.pxe-service-point
#   sccm.client-to-shv-hra: no addresses in this site for sccm.system-health-validator
#   sccm.client-to-shv-ipsec: no addresses in this site for sccm.system-health-validator
#   sccm.client-to-slp: no addresses in this site for sccm.server-locator-point
#   sccm.client-to-smp-http: no addresses in this site for sccm.state-migration-point
#   sccm.client-to-smp-smb: no addresses in this site for sccm.state-migration-point
#   sccm.console-to-client-rc: no addresses in this site for sccm.console
#   sccm.console-to-client-rc-udp: no addresses in this site for sccm.console
#   sccm.console-to-client-rdp: no addresses in this site for sccm.console
#   sccm.console-to-client-rpc: no addresses in this site for sccm.console
#   sccm.console-to-client-rpc-dynamic: follows sccm.console-to-client-rpc, which is not exported
#   sccm.console-to-internet: no addresses in this site for sccm.console
#   sccm.console-to-provider-rpc: no addresses in this site for sccm.console nor sccm.provider
#   sccm.console-to-provider-rpc-dynamic: follows sccm.console-to-provider-rpc, which is not exported
#   sccm.console-to-provider-rpc-udp: no addresses in this site for sccm.console nor sccm.provider
#   sccm.console-to-rp: no addresses in this site for sccm.console nor sccm.reporting-point
#   sccm.console-to-rsp: no addresses in this site for sccm.console nor sccm.reporting-services-point
#   sccm.console-to-ss-rpc-dynamic: follows sccm.console-to-ss-wmi, which is not exported
#   sccm.console-to-ss-wmi: no addresses in this site for sccm.console
#   sccm.csrh-sql: no addresses in this site for sccm.client-status-reporting-host
#   sccm.csrh-to-client-ping: no addresses in this site for sccm.client-status-reporting-host
#   sccm.csrh-to-client-ping6: no addresses in this site for sccm.client-status-reporting-host
#   sccm.csrh-to-client-rpc: no addresses in this site for sccm.client-status-reporting-host
#   sccm.csrh-to-client-rpc-dynamic: follows sccm.csrh-to-client-rpc, which is not exported
#   sccm.csrh-to-client-rpc-udp: no addresses in this site for sccm.client-status-reporting-host
#   sccm.csrh-to-mp-netbios: no addresses in this site for sccm.client-status-reporting-host
#   sccm.csrh-to-mp-smb: no addresses in this site for sccm.client-status-reporting-host
#   sccm.dp-multicast-stream: no addresses in this site for sccm.distribution-point
#   sccm.mcdp-sql: no addresses in this site for sccm.distribution-point
#   sccm.oob-console-to-amt: no addresses in this site for sccm.out-of-band-console nor sccm.amt-controller
#   sccm.oob-to-amt: no addresses in this site for sccm.out-of-band-service-point nor sccm.amt-controller
#   sccm.provider-sql: no addresses in this site for sccm.provider
#   sccm.provider-sql-browser: no addresses in this site for sccm.provider
#   sccm.provider-sql-named-instance: follows sccm.provider-sql-browser, which is not exported
#   sccm.pxe-dhcp-reply: no addresses in this site for sccm.pxe-service-point
#   sccm.pxe-sql: no addresses in this site for sccm.pxe-service-point
#   sccm.pxe-sql-browser: no addresses in this site for sccm.pxe-service-point
#   sccm.pxe-sql-named-instance: follows sccm.pxe-sql-browser, which is not exported
#   sccm.pxe-tftp-data: follows sccm.client-to-pxe-tftp, which is not exported
#   sccm.rp-sql: no addresses in this site for sccm.reporting-point
#   sccm.rp-sql-browser: no addresses in this site for sccm.reporting-point
#   sccm.rp-sql-named-instance: follows sccm.rp-sql-browser, which is not exported
#   sccm.rp-to-rsp-sql: no addresses in this site for sccm.reporting-point nor sccm.reporting-services-point
#   sccm.rp-to-rsp-sql-browser: no addresses in this site for sccm.reporting-point nor sccm.reporting-services-point
#   sccm.rp-to-rsp-sql-named-instance: follows sccm.rp-to-rsp-sql-browser, which is not exported
#   sccm.rsp-sql: no addresses in this site for sccm.reporting-services-point
#   sccm.shv-to-gc: no addresses in this site for sccm.system-health-validator
#   sccm.slp-sql: no addresses in this site for sccm.server-locator-point
#   sccm.slp-sql-browser: no addresses in this site for sccm.server-locator-point
#   sccm.slp-sql-named-instance: follows sccm.slp-sql-browser, which is not exported
#   sccm.ss-aisp-rpc: no addresses in this site for sccm.asset-intelligence-sync-point
#   sccm.ss-aisp-rpc-dynamic: follows sccm.ss-aisp-rpc, which is not exported
#   sccm.ss-aisp-rpc-udp: no addresses in this site for sccm.asset-intelligence-sync-point
#   sccm.ss-aisp-smb: no addresses in this site for sccm.asset-intelligence-sync-point
#   sccm.ss-fsp-rpc: no addresses in this site for sccm.fallback-status-point
#   sccm.ss-fsp-rpc-dynamic: follows sccm.ss-fsp-rpc, which is not exported
#   sccm.ss-fsp-rpc-udp: no addresses in this site for sccm.fallback-status-point
#   sccm.ss-fsp-smb: no addresses in this site for sccm.fallback-status-point
#   sccm.ss-oob-rpc: no addresses in this site for sccm.out-of-band-service-point
#   sccm.ss-oob-rpc-dynamic: follows sccm.ss-oob-rpc, which is not exported
#   sccm.ss-oob-rpc-udp: no addresses in this site for sccm.out-of-band-service-point
#   sccm.ss-oob-smb: no addresses in this site for sccm.out-of-band-service-point
#   sccm.ss-pxe-rpc: no addresses in this site for sccm.pxe-service-point
#   sccm.ss-pxe-rpc-dynamic: follows sccm.ss-pxe-rpc, which is not exported
#   sccm.ss-pxe-rpc-udp: no addresses in this site for sccm.pxe-service-point
#   sccm.ss-pxe-smb: no addresses in this site for sccm.pxe-service-point
#   sccm.ss-rsp-rpc: no addresses in this site for sccm.reporting-services-point
#   sccm.ss-rsp-rpc-dynamic: follows sccm.ss-rsp-rpc, which is not exported
#   sccm.ss-rsp-rpc-udp: no addresses in this site for sccm.reporting-services-point
#   sccm.ss-rsp-smb: no addresses in this site for sccm.reporting-services-point
#   sccm.ss-shv-rpc: no addresses in this site for sccm.system-health-validator
#   sccm.ss-shv-rpc-dynamic: follows sccm.ss-shv-rpc, which is not exported
#   sccm.ss-shv-rpc-udp: no addresses in this site for sccm.system-health-validator
#   sccm.ss-shv-smb: no addresses in this site for sccm.system-health-validator
#   sccm.ss-slp-rpc: no addresses in this site for sccm.server-locator-point
#   sccm.ss-slp-rpc-dynamic: follows sccm.ss-slp-rpc, which is not exported
#   sccm.ss-slp-rpc-udp: no addresses in this site for sccm.server-locator-point
#   sccm.ss-slp-smb: no addresses in this site for sccm.server-locator-point
#   sccm.ss-smp-rpc: no addresses in this site for sccm.state-migration-point
#   sccm.ss-smp-rpc-dynamic: follows sccm.ss-smp-rpc, which is not exported
#   sccm.ss-smp-rpc-udp: no addresses in this site for sccm.state-migration-point
#   sccm.ss-smp-smb: no addresses in this site for sccm.state-migration-point
#   sccm.ss-to-dp-rpc: no addresses in this site for sccm.distribution-point
#   sccm.ss-to-dp-rpc-dynamic: follows sccm.ss-to-dp-rpc, which is not exported
#   sccm.ss-to-dp-rpc-udp: no addresses in this site for sccm.distribution-point
#   sccm.ss-to-dp-smb: no addresses in this site for sccm.distribution-point
#   sccm.ss-to-provider-rpc: no addresses in this site for sccm.provider
#   sccm.ss-to-provider-rpc-dynamic: follows sccm.ss-to-provider-rpc, which is not exported
#   sccm.ss-to-provider-rpc-udp: no addresses in this site for sccm.provider
#   sccm.ss-to-provider-smb: no addresses in this site for sccm.provider
#   sccm.ss-to-rp-rpc: no addresses in this site for sccm.reporting-point or sccm.reporting-services-point
#   sccm.ss-to-rp-rpc-dynamic: follows sccm.ss-to-rp-rpc, which is not exported
#   sccm.ss-to-rp-rpc-udp: no addresses in this site for sccm.reporting-point or sccm.reporting-services-point
#   sccm.ss-to-rp-smb: no addresses in this site for sccm.reporting-point or sccm.reporting-services-point
#   sccm.sup-to-wsus-sync: no addresses in this site for sccm.wsus-sync-server
#   win.dhcp-reply: no addresses in this site for win.dhcp-server
