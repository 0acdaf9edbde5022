; Inno Setup 6 script: per-user installer for Kankei Desktop (no administrator rights).
;
; Build (after `python packaging\build.py`, which leaves dist\kankei-desktop\):
;   iscc /DAppVersion=0.1.0 packaging\windows\kankei-desktop.iss
; The installer is written to dist\installer\KankeiDesktop-<version>-setup.exe.
;
; - Installs into %LOCALAPPDATA%\Programs\Kankei Desktop for the current user only.
; - Start-menu entry (and an optional desktop icon).
; - .kankei bundles open with the application (HKCU\Software\Classes, per user).
; - Uninstalling removes the program only: the user's data folder
;   (%LOCALAPPDATA%\Kankei\KankeiDesktop: the database, backups, settings) is kept.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "Kankei Desktop"
#define AppExe "kankei-desktop.exe"
#define SourceDir "..\..\dist\kankei-desktop"
#define ProgId "KankeiDesktop.Bundle"

[Setup]
AppId={{6B0E8C52-3C1D-4C8A-9F55-2B7A1D0C4E11}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Kankei Desktop
DefaultDirName={localappdata}\Programs\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
ChangesAssociations=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist\installer
OutputBaseFilename=KankeiDesktop-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\app.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
Name: "japanese"; MessagesFile: "compiler:Languages\Japanese.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; HKA is HKCU here: PrivilegesRequired=lowest makes this a per-user install.
Root: HKA; Subkey: "Software\Classes\.kankei\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "Kankei Desktop bundle"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".kankei"; ValueData: ""; Flags: uninsdeletekey

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] entry for the data folder: uninstalling never deletes the user's data.
