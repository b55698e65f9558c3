global using System.Net;
global using System.Net.WebSockets;
global using System.Text.Json;
global using Switchboard.FunctionalTests.Infrastructure;
global using Switchboard.Testing;
global using Microsoft.Extensions.DependencyInjection;
