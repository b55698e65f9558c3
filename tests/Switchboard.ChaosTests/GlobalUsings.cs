global using System.Diagnostics;
global using System.Net.WebSockets;
global using System.Text.Json;
global using Switchboard.ChaosTests.Infrastructure;
global using Switchboard.Testing;
global using Xunit.Abstractions;
