# flowaudit firewall export --format windows
# site file: fixtures/products/dell-wdm/site.yaml
# catalogs: dell-wdm
# 16 allow rules from 10 catalog rules; every rule exported
# run in an elevated PowerShell on each host: a rule applies where its -LocalAddress is a local address;
# running it again replaces the rules of group 'flowaudit'

Remove-NetFirewallRule -Group 'flowaudit' -ErrorAction SilentlyContinue

# wdm.agent-to-repository-ftp: Web Agent reads and writes the software repositories, FTP
#   wdm.web-agent -> wdm.repository, tcp 21
#   source: 003_8b4c26cd65370902.txt (Dell Wyse Device Manager (WDM)): Table 4: Web Agent, FTP 21, Read and write files to the Master and Remote Software Repositories
New-NetFirewallRule -Name 'flowaudit-wdm.agent-to-repository-ftp' -DisplayName 'flowaudit wdm.agent-to-repository-ftp: Web Agent reads and writes the software repositories, FTP' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '21' -LocalAddress '10.0.0.62' -RemoteAddress '10.0.1.0/24','10.20.1.0/24' -Description '003_8b4c26cd65370902.txt (Dell Wyse Device Manager (WDM)): Table 4: Web Agent, FTP 21, Read and write files to the Master and Remote Software Repositories' | Out-Null

# wdm.agent-ftp-data-active: FTP data connection (active, announced by PORT/EPRT)
#   wdm.repository -> wdm.web-agent, tcp 1024-65535 (follows wdm.agent-to-repository-ftp)
#   source: 003_8b4c26cd65370902.txt (Dell Wyse Device Manager (WDM)): Table 4: Web Agent, FTP 21, Read and write files to the Master and Remote Software Repositories
#   note: FTP data connection (active, announced by PORT/EPRT): the ftp conntrack helper on wdm.agent-to-repository-ftp makes these connections related (nftables, iptables; Cisco ASA: inspect ftp); Windows Firewall opens tcp 1024-65535
# Windows Firewall has no ftp helper for inbound connections: the ports are opened
New-NetFirewallRule -Name 'flowaudit-wdm.agent-ftp-data-active' -DisplayName 'flowaudit wdm.agent-ftp-data-active: FTP data connection (active, announced by PORT/EPRT)' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '1024-65535' -LocalAddress '10.0.1.0/24','10.20.1.0/24' -RemoteAddress '10.0.0.62' -Description '003_8b4c26cd65370902.txt (Dell Wyse Device Manager (WDM)): Table 4: Web Agent, FTP 21, Read and write files to the Master and Remote Software Repositories' | Out-Null

# wdm.agent-ftp-data-passive: FTP data connection (passive, announced by 227/229)
#   wdm.web-agent -> wdm.repository, tcp 1024-65535 (follows wdm.agent-to-repository-ftp)
#   source: 003_8b4c26cd65370902.txt (Dell Wyse Device Manager (WDM)): Table 4: Web Agent, FTP 21, Read and write files to the Master and Remote Software Repositories
#   note: FTP data connection (passive, announced by 227/229): the ftp conntrack helper on wdm.agent-to-repository-ftp makes these connections related (nftables, iptables; Cisco ASA: inspect ftp); Windows Firewall opens tcp 1024-65535
# Windows Firewall has no ftp helper for inbound connections: the ports are opened
New-NetFirewallRule -Name 'flowaudit-wdm.agent-ftp-data-passive' -DisplayName 'flowaudit wdm.agent-ftp-data-passive: FTP data connection (passive, announced by 227/229)' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '1024-65535' -LocalAddress '10.0.0.62' -RemoteAddress '10.0.1.0/24','10.20.1.0/24' -Description '003_8b4c26cd65370902.txt (Dell Wyse Device Manager (WDM)): Table 4: Web Agent, FTP 21, Read and write files to the Master and Remote Software Repositories' | Out-Null

# wdm.agent-to-web-service: Web Agent to Web Service, HTTP/HTTPS
#   wdm.web-agent -> wdm.web-service, tcp 80,280,443,8443
#   source: 003_8b4c26cd65370902.txt (Dell Wyse Device Manager (WDM)): Table 4: Web Agent, HTTP 80 / 280, Communicate with the Web Service; Web Service, HTTPS 443 / 8443, Secure Communication with the Web Agent
New-NetFirewallRule -Name 'flowaudit-wdm.agent-to-web-service' -DisplayName 'flowaudit wdm.agent-to-web-service: Web Agent to Web Service, HTTP/HTTPS' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '80','280','443','8443' -LocalAddress '10.0.0.60' -RemoteAddress '10.0.1.0/24','10.20.1.0/24' -Description '003_8b4c26cd65370902.txt (Dell Wyse Device Manager (WDM)): Table 4: Web Agent, HTTP 80 / 280, Communicate with the Web Service; Web Service, HTTPS 443 / 8443, Secure Communication with the Web Agent' | Out-Null

# wdm.gui-shadow-vnc: GUI shadows devices, VNC
#   wdm.gui -> wdm.web-agent, tcp 5800,5900
#   source: 003_8b4c26cd65370902.txt (Dell Wyse Device Manager (WDM)): Table 4: GUI, VNC 5800 / 5900, Remote shadows devices
New-NetFirewallRule -Name 'flowaudit-wdm.gui-shadow-vnc' -DisplayName 'flowaudit wdm.gui-shadow-vnc: GUI shadows devices, VNC' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '5800','5900' -LocalAddress '10.0.1.0/24','10.20.1.0/24' -RemoteAddress '10.0.2.5' -Description '003_8b4c26cd65370902.txt (Dell Wyse Device Manager (WDM)): Table 4: GUI, VNC 5800 / 5900, Remote shadows devices' | Out-Null

# wdm.gui-to-database: GUI to WDM database, OLE DB
#   wdm.gui -> wdm.database, tcp 1433
#   source: 003_8b4c26cd65370902.txt (Dell Wyse Device Manager (WDM)): Table 4: GUI, OLE DB 1433 (default, can be configured during installation), Communicate with the WDM Database
New-NetFirewallRule -Name 'flowaudit-wdm.gui-to-database' -DisplayName 'flowaudit wdm.gui-to-database: GUI to WDM database, OLE DB' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '1433' -LocalAddress '10.0.0.63' -RemoteAddress '10.0.2.5' -Description '003_8b4c26cd65370902.txt (Dell Wyse Device Manager (WDM)): Table 4: GUI, OLE DB 1433 (default, can be configured during installation), Communicate with the WDM Database' | Out-Null

# wdm.gui-to-repository-ftp: GUI registers packages in the Master Software Repository, FTP
#   wdm.gui -> wdm.repository, tcp 21
#   source: 003_8b4c26cd65370902.txt (Dell Wyse Device Manager (WDM)): Table 4: GUI, FTP 21, Register new packages into the Master Software Repository
New-NetFirewallRule -Name 'flowaudit-wdm.gui-to-repository-ftp' -DisplayName 'flowaudit wdm.gui-to-repository-ftp: GUI registers packages in the Master Software Repository, FTP' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '21' -LocalAddress '10.0.0.62' -RemoteAddress '10.0.2.5' -Description '003_8b4c26cd65370902.txt (Dell Wyse Device Manager (WDM)): Table 4: GUI, FTP 21, Register new packages into the Master Software Repository' | Out-Null

# wdm.gui-ftp-data-active: FTP data connection (active, announced by PORT/EPRT)
#   wdm.repository -> wdm.gui, tcp 1024-65535 (follows wdm.gui-to-repository-ftp)
#   source: 003_8b4c26cd65370902.txt (Dell Wyse Device Manager (WDM)): Table 4: GUI, FTP 21, Register new packages into the Master Software Repository
#   note: FTP data connection (active, announced by PORT/EPRT): the ftp conntrack helper on wdm.gui-to-repository-ftp makes these connections related (nftables, iptables; Cisco ASA: inspect ftp); Windows Firewall opens tcp 1024-65535
# Windows Firewall has no ftp helper for inbound connections: the ports are opened
New-NetFirewallRule -Name 'flowaudit-wdm.gui-ftp-data-active' -DisplayName 'flowaudit wdm.gui-ftp-data-active: FTP data connection (active, announced by PORT/EPRT)' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '1024-65535' -LocalAddress '10.0.2.5' -RemoteAddress '10.0.0.62' -Description '003_8b4c26cd65370902.txt (Dell Wyse Device Manager (WDM)): Table 4: GUI, FTP 21, Register new packages into the Master Software Repository' | Out-Null

# wdm.gui-ftp-data-passive: FTP data connection (passive, announced by 227/229)
#   wdm.gui -> wdm.repository, tcp 1024-65535 (follows wdm.gui-to-repository-ftp)
#   source: 003_8b4c26cd65370902.txt (Dell Wyse Device Manager (WDM)): Table 4: GUI, FTP 21, Register new packages into the Master Software Repository
#   note: FTP data connection (passive, announced by 227/229): the ftp conntrack helper on wdm.gui-to-repository-ftp makes these connections related (nftables, iptables; Cisco ASA: inspect ftp); Windows Firewall opens tcp 1024-65535
# Windows Firewall has no ftp helper for inbound connections: the ports are opened
New-NetFirewallRule -Name 'flowaudit-wdm.gui-ftp-data-passive' -DisplayName 'flowaudit wdm.gui-ftp-data-passive: FTP data connection (passive, announced by 227/229)' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '1024-65535' -LocalAddress '10.0.0.62' -RemoteAddress '10.0.2.5' -Description '003_8b4c26cd65370902.txt (Dell Wyse Device Manager (WDM)): Table 4: GUI, FTP 21, Register new packages into the Master Software Repository' | Out-Null

# wdm.gui-to-services-http: GUI to Web Service and Standard Service, HTTP
#   wdm.gui -> wdm.standard-service+wdm.web-service, tcp 80,280
#   source: 003_8b4c26cd65370902.txt (Dell Wyse Device Manager (WDM)): Table 4: GUI, HTTP 80 / 280, Communicate with the Web Service and Standard Service
New-NetFirewallRule -Name 'flowaudit-wdm.gui-to-services-http' -DisplayName 'flowaudit wdm.gui-to-services-http: GUI to Web Service and Standard Service, HTTP' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '80','280' -LocalAddress '10.0.0.60' -RemoteAddress '10.0.2.5' -Description '003_8b4c26cd65370902.txt (Dell Wyse Device Manager (WDM)): Table 4: GUI, HTTP 80 / 280, Communicate with the Web Service and Standard Service' | Out-Null

# wdm.web-service-http: Web Service <-> GUI and Standard Service, HTTP
#   wdm.web-service -> wdm.gui+wdm.standard-service, tcp 80,280
#   source: 003_8b4c26cd65370902.txt (Dell Wyse Device Manager (WDM)): Table 4: Web Service, HTTP 80 / 280, Communicate with the Web Agent, GUI, and Standard Service
#   note: the catalog allows either side to connect (<->): this is the first of two rules
New-NetFirewallRule -Name 'flowaudit-wdm.web-service-http' -DisplayName 'flowaudit wdm.web-service-http: Web Service <-> GUI and Standard Service, HTTP' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '80','280' -LocalAddress '10.0.2.5' -RemoteAddress '10.0.0.60' -Description '003_8b4c26cd65370902.txt (Dell Wyse Device Manager (WDM)): Table 4: Web Service, HTTP 80 / 280, Communicate with the Web Agent, GUI, and Standard Service' | Out-Null

# wdm.web-service-http:reverse: Web Service <-> GUI and Standard Service, HTTP
#   wdm.gui+wdm.standard-service -> wdm.web-service, tcp 80,280
#   source: 003_8b4c26cd65370902.txt (Dell Wyse Device Manager (WDM)): Table 4: Web Service, HTTP 80 / 280, Communicate with the Web Agent, GUI, and Standard Service
#   note: the catalog allows either side to connect (<->): this is the second of two rules
New-NetFirewallRule -Name 'flowaudit-wdm.web-service-http:reverse' -DisplayName 'flowaudit wdm.web-service-http:reverse: Web Service <-> GUI and Standard Service, HTTP' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '80','280' -LocalAddress '10.0.0.60' -RemoteAddress '10.0.2.5' -Description '003_8b4c26cd65370902.txt (Dell Wyse Device Manager (WDM)): Table 4: Web Service, HTTP 80 / 280, Communicate with the Web Agent, GUI, and Standard Service' | Out-Null

# wdm.web-service-https: Web Service <-> GUI and Standard Service, HTTPS
#   wdm.web-service -> wdm.gui+wdm.standard-service, tcp 443,8443
#   source: 003_8b4c26cd65370902.txt (Dell Wyse Device Manager (WDM)): Table 4: Web Service, HTTPS 443 / 8443, Secure Communication with the Web Agent, GUI, and Standard Service
#   note: the catalog allows either side to connect (<->): this is the first of two rules
New-NetFirewallRule -Name 'flowaudit-wdm.web-service-https' -DisplayName 'flowaudit wdm.web-service-https: Web Service <-> GUI and Standard Service, HTTPS' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '443','8443' -LocalAddress '10.0.2.5' -RemoteAddress '10.0.0.60' -Description '003_8b4c26cd65370902.txt (Dell Wyse Device Manager (WDM)): Table 4: Web Service, HTTPS 443 / 8443, Secure Communication with the Web Agent, GUI, and Standard Service' | Out-Null

# wdm.web-service-https:reverse: Web Service <-> GUI and Standard Service, HTTPS
#   wdm.gui+wdm.standard-service -> wdm.web-service, tcp 443,8443
#   source: 003_8b4c26cd65370902.txt (Dell Wyse Device Manager (WDM)): Table 4: Web Service, HTTPS 443 / 8443, Secure Communication with the Web Agent, GUI, and Standard Service
#   note: the catalog allows either side to connect (<->): this is the second of two rules
New-NetFirewallRule -Name 'flowaudit-wdm.web-service-https:reverse' -DisplayName 'flowaudit wdm.web-service-https:reverse: Web Service <-> GUI and Standard Service, HTTPS' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '443','8443' -LocalAddress '10.0.0.60' -RemoteAddress '10.0.2.5' -Description '003_8b4c26cd65370902.txt (Dell Wyse Device Manager (WDM)): Table 4: Web Service, HTTPS 443 / 8443, Secure Communication with the Web Agent, GUI, and Standard Service' | Out-Null

# wdm.web-service-push: Web Service pushes commands and packages to devices, HTTP/HTTPS
#   wdm.web-service -> wdm.web-agent, tcp 80,280,443,8443
#   source: 003_8b4c26cd65370902.txt (Dell Wyse Device Manager (WDM)): Table 4: Web Service, HTTP 80 / 280 and HTTPS 443 / 8443, Communicate with the Web Agent (push operations, introduction)
New-NetFirewallRule -Name 'flowaudit-wdm.web-service-push' -DisplayName 'flowaudit wdm.web-service-push: Web Service pushes commands and packages to devices, HTTP/HTTPS' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '80','280','443','8443' -LocalAddress '10.0.1.0/24','10.20.1.0/24' -RemoteAddress '10.0.0.60' -Description '003_8b4c26cd65370902.txt (Dell Wyse Device Manager (WDM)): Table 4: Web Service, HTTP 80 / 280 and HTTPS 443 / 8443, Communicate with the Web Agent (push operations, introduction)' | Out-Null

# wdm.web-service-to-database: Web Service to WDM database, OLE DB
#   wdm.web-service -> wdm.database, tcp 1433
#   source: 003_8b4c26cd65370902.txt (Dell Wyse Device Manager (WDM)): Table 4: Web Service, OLE DB 1433 (default, can be configured during installation), Communicate with the WDM Database
New-NetFirewallRule -Name 'flowaudit-wdm.web-service-to-database' -DisplayName 'flowaudit wdm.web-service-to-database: Web Service to WDM database, OLE DB' -Group 'flowaudit' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '1433' -LocalAddress '10.0.0.63' -RemoteAddress '10.0.0.60' -Description '003_8b4c26cd65370902.txt (Dell Wyse Device Manager (WDM)): Table 4: Web Service, OLE DB 1433 (default, can be configured during installation), Communicate with the WDM Database' | Out-Null

