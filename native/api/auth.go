package api

// The Auth service (etcd: server/etcdserver/api/v3rpc/auth.go and the Authenticator of
// etcdserver/v3_server.go): users, roles, enable and disable, each one
// server.Request through the log; and Authenticate, in two steps so that
// the slow password check runs here, never on the member's loop:
//
//	Authenticate(name, password)
//	  1. Password{name}                  at once: the stored hash, the auth revision
//	  2. checkPassword (PBKDF2, ~100 ms)  here, outside the loop
//	  3. Authenticate{name, 16 random letters, revision}   through the log:
//	     every member records "<letters>.<index>" -> name
//	  a changed store between 1 and 3 (ErrAuthOldRevision): start over
//
// Every other call carries the client's token (gRPC metadata "token") in
// its server.Request (doAuthed); the core checks it.

import (
	"context"
	"crypto/rand"
	"errors"
	"math/big"
	"time"

	"github.com/etcdlab/etcdlab/core/auth"
	"github.com/etcdlab/etcdlab/core/server"
	"go.etcd.io/etcd/api/v3/authpb"
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

const (
	// tokenLetters and tokenLetterCount make a simple token's random part
	// (etcd: simple_token.go, 16 letters).
	tokenLetters     = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	tokenLetterCount = 16
	// authenticateAttempts bounds the retries of an Authenticate whose
	// password check went stale (etcd loops until it succeeds).
	authenticateAttempts = 3
	// tokenApplyWait bounds the wait for this member to apply the entry
	// that created a token it does not know yet (etcd: applyTimeout, 1 s).
	tokenApplyWait = time.Second
	tokenApplyPoll = 5 * time.Millisecond
)

// authErrors pairs each auth store error with etcd's gRPC status.
var authErrors = []struct{ core, grpc error }{
	{auth.ErrRootUserNotExist, rpctypes.ErrGRPCRootUserNotExist},
	{auth.ErrRootRoleNotExist, rpctypes.ErrGRPCRootRoleNotExist},
	{auth.ErrUserAlreadyExist, rpctypes.ErrGRPCUserAlreadyExist},
	{auth.ErrUserEmpty, rpctypes.ErrGRPCUserEmpty},
	{auth.ErrUserNotFound, rpctypes.ErrGRPCUserNotFound},
	{auth.ErrRoleAlreadyExist, rpctypes.ErrGRPCRoleAlreadyExist},
	{auth.ErrRoleNotFound, rpctypes.ErrGRPCRoleNotFound},
	{auth.ErrRoleEmpty, rpctypes.ErrGRPCRoleEmpty},
	{auth.ErrAuthFailed, rpctypes.ErrGRPCAuthFailed},
	{auth.ErrPermissionNotGiven, rpctypes.ErrGRPCPermissionNotGiven},
	{auth.ErrPermissionDenied, rpctypes.ErrGRPCPermissionDenied},
	{auth.ErrRoleNotGranted, rpctypes.ErrGRPCRoleNotGranted},
	{auth.ErrPermissionNotGranted, rpctypes.ErrGRPCPermissionNotGranted},
	{auth.ErrAuthNotEnabled, rpctypes.ErrGRPCAuthNotEnabled},
	{auth.ErrInvalidAuthToken, rpctypes.ErrGRPCInvalidAuthToken},
	{auth.ErrInvalidAuthMgmt, rpctypes.ErrGRPCInvalidAuthMgmt},
	{auth.ErrAuthOldRevision, rpctypes.ErrGRPCAuthOldRevision},
	{auth.ErrNameTooLong, status.Error(codes.InvalidArgument, auth.ErrNameTooLong.Error())},
}

// authStatus returns etcd's status for an auth store error, err otherwise.
func authStatus(err error) error {
	for _, e := range authErrors {
		if errors.Is(err, e.core) {
			return e.grpc
		}
	}
	return err
}

// tokenOf returns the client's token from the call's metadata (etcd:
// AuthInfoFromCtx reads "token", or "authorization" from the gateway).
func tokenOf(ctx context.Context) string {
	md, _ := metadata.FromIncomingContext(ctx)
	for _, key := range []string{rpctypes.TokenFieldNameGRPC, rpctypes.TokenFieldNameSwagger} {
		if v := md.Get(key); len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

// doAuthed runs req as the caller's token. A token this member does not
// know may come from an Authenticate entry it has not applied yet (the
// client authenticated on another member): wait for that index, and ask
// once more (etcd: simple token's indexWaiter).
func (s *Server) doAuthed(ctx context.Context, req server.Request) (server.Response, error) {
	req.Token = tokenOf(ctx)
	resp, err := s.d.Do(ctx, req)
	if err == nil && errors.Is(resp.Err, auth.ErrInvalidAuthToken) && s.awaitTokenIndex(ctx, req.Token) {
		resp, err = s.d.Do(ctx, req)
	}
	if err == nil && resp.Err != nil {
		resp.Err = authStatus(resp.Err)
	}
	return resp, err
}

// awaitTokenIndex waits until this member applied the index the token was
// created at; it reports false if it had already (the token is unknown)
// or never does within tokenApplyWait.
func (s *Server) awaitTokenIndex(ctx context.Context, token string) bool {
	index, ok := auth.TokenIndex(token)
	if !ok || s.d.Live().Applied >= index {
		return false
	}
	deadline := time.Now().Add(tokenApplyWait)
	for s.d.Live().Applied < index {
		if time.Now().After(deadline) || ctx.Err() != nil {
			return false
		}
		time.Sleep(tokenApplyPoll)
	}
	return true
}

// checkAuth asks the member whether the caller may do what c says.
func (s *Server) checkAuth(ctx context.Context, c server.AuthCheckRequest) error {
	_, err := s.do(ctx, server.Request{Auth: &server.AuthRequest{Check: &c}})
	return err
}

type authServer struct {
	pb.UnimplementedAuthServer
	s *Server
}

// auth runs one auth request and returns its answer and header.
func (a authServer) auth(ctx context.Context, r server.AuthRequest) (*server.AuthResponse, *pb.ResponseHeader, error) {
	resp, err := a.s.do(ctx, server.Request{Auth: &r})
	if err != nil {
		return nil, nil, err
	}
	return resp.Auth, header(resp.Header), nil
}

func (a authServer) AuthEnable(ctx context.Context, _ *pb.AuthEnableRequest) (*pb.AuthEnableResponse, error) {
	_, h, err := a.auth(ctx, server.AuthRequest{Enable: &server.AuthEnableRequest{}})
	if err != nil {
		return nil, err
	}
	return &pb.AuthEnableResponse{Header: h}, nil
}

func (a authServer) AuthDisable(ctx context.Context, _ *pb.AuthDisableRequest) (*pb.AuthDisableResponse, error) {
	_, h, err := a.auth(ctx, server.AuthRequest{Disable: &server.AuthDisableRequest{}})
	if err != nil {
		return nil, err
	}
	return &pb.AuthDisableResponse{Header: h}, nil
}

func (a authServer) AuthStatus(ctx context.Context, _ *pb.AuthStatusRequest) (*pb.AuthStatusResponse, error) {
	r, h, err := a.auth(ctx, server.AuthRequest{Status: &server.AuthStatusRequest{}})
	if err != nil {
		return nil, err
	}
	return &pb.AuthStatusResponse{Header: h, Enabled: r.Enabled, AuthRevision: r.AuthRevision}, nil
}

// Authenticate checks the password here, then has every member record a
// token for the user.
func (a authServer) Authenticate(ctx context.Context, r *pb.AuthenticateRequest) (*pb.AuthenticateResponse, error) {
	for attempt := 1; ; attempt++ {
		stored, _, err := a.auth(ctx, server.AuthRequest{Password: &server.PasswordRequest{Name: r.Name}})
		if err != nil {
			return nil, err
		}
		if !checkPassword(stored.Password, r.Password) {
			a.s.log.Info("authentication failed: wrong password", "user", r.Name)
			return nil, rpctypes.ErrGRPCAuthFailed
		}
		letters, err := randomLetters()
		if err != nil {
			return nil, status.Error(codes.Internal, err.Error())
		}
		req := &server.AuthenticateRequest{Name: r.Name, Letters: letters, CheckedRevision: stored.AuthRevision}
		resp, h, err := a.auth(ctx, server.AuthRequest{Authenticate: req})
		if errors.Is(err, rpctypes.ErrGRPCAuthOldRevision) && attempt < authenticateAttempts {
			continue // the user changed while we checked; check again
		}
		if err != nil {
			return nil, err
		}
		return &pb.AuthenticateResponse{Header: h, Token: resp.Token}, nil
	}
}

// randomLetters is a simple token's random part (etcd: genTokenPrefix).
func randomLetters() (string, error) {
	b := make([]byte, tokenLetterCount)
	for i := range b {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(tokenLetters))))
		if err != nil {
			return "", err
		}
		b[i] = tokenLetters[n.Int64()]
	}
	return string(b), nil
}

// newPassword hashes a password given in a request. A pre-hashed password
// (etcd's HashedPassword, a bcrypt hash) cannot be used here.
func newPassword(password, hashed string, noPassword bool) (auth.Password, error) {
	switch {
	case noPassword:
		return auth.Password{}, nil
	case hashed != "" && password == "":
		return auth.Password{}, status.Error(codes.InvalidArgument, "etcdlab: a pre-hashed (bcrypt) password is not supported; send the password itself")
	}
	pw, err := hashPassword(password)
	if err != nil {
		return auth.Password{}, status.Error(codes.Internal, err.Error())
	}
	return pw, nil
}

func (a authServer) UserAdd(ctx context.Context, r *pb.AuthUserAddRequest) (*pb.AuthUserAddResponse, error) {
	noPassword := r.Options != nil && r.Options.NoPassword
	pw, err := newPassword(r.Password, r.HashedPassword, noPassword)
	if err != nil {
		return nil, err
	}
	_, h, err := a.auth(ctx, server.AuthRequest{UserAdd: &server.UserAddRequest{Name: r.Name, Password: pw, NoPassword: noPassword}})
	if err != nil {
		return nil, err
	}
	return &pb.AuthUserAddResponse{Header: h}, nil
}

func (a authServer) UserDelete(ctx context.Context, r *pb.AuthUserDeleteRequest) (*pb.AuthUserDeleteResponse, error) {
	_, h, err := a.auth(ctx, server.AuthRequest{UserDelete: &server.UserDeleteRequest{Name: r.Name}})
	if err != nil {
		return nil, err
	}
	return &pb.AuthUserDeleteResponse{Header: h}, nil
}

func (a authServer) UserChangePassword(ctx context.Context, r *pb.AuthUserChangePasswordRequest) (*pb.AuthUserChangePasswordResponse, error) {
	pw, err := newPassword(r.Password, r.HashedPassword, false)
	if err != nil {
		return nil, err
	}
	_, h, err := a.auth(ctx, server.AuthRequest{UserChangePassword: &server.UserChangePasswordRequest{Name: r.Name, Password: pw}})
	if err != nil {
		return nil, err
	}
	return &pb.AuthUserChangePasswordResponse{Header: h}, nil
}

func (a authServer) UserGrantRole(ctx context.Context, r *pb.AuthUserGrantRoleRequest) (*pb.AuthUserGrantRoleResponse, error) {
	_, h, err := a.auth(ctx, server.AuthRequest{UserGrantRole: &server.UserGrantRoleRequest{User: r.User, Role: r.Role}})
	if err != nil {
		return nil, err
	}
	return &pb.AuthUserGrantRoleResponse{Header: h}, nil
}

func (a authServer) UserRevokeRole(ctx context.Context, r *pb.AuthUserRevokeRoleRequest) (*pb.AuthUserRevokeRoleResponse, error) {
	_, h, err := a.auth(ctx, server.AuthRequest{UserRevokeRole: &server.UserRevokeRoleRequest{Name: r.Name, Role: r.Role}})
	if err != nil {
		return nil, err
	}
	return &pb.AuthUserRevokeRoleResponse{Header: h}, nil
}

func (a authServer) UserGet(ctx context.Context, r *pb.AuthUserGetRequest) (*pb.AuthUserGetResponse, error) {
	resp, h, err := a.auth(ctx, server.AuthRequest{UserGet: &server.UserGetRequest{Name: r.Name}})
	if err != nil {
		return nil, err
	}
	return &pb.AuthUserGetResponse{Header: h, Roles: resp.Roles}, nil
}

func (a authServer) UserList(ctx context.Context, _ *pb.AuthUserListRequest) (*pb.AuthUserListResponse, error) {
	resp, h, err := a.auth(ctx, server.AuthRequest{UserList: &server.UserListRequest{}})
	if err != nil {
		return nil, err
	}
	return &pb.AuthUserListResponse{Header: h, Users: resp.Users}, nil
}

func (a authServer) RoleAdd(ctx context.Context, r *pb.AuthRoleAddRequest) (*pb.AuthRoleAddResponse, error) {
	_, h, err := a.auth(ctx, server.AuthRequest{RoleAdd: &server.RoleAddRequest{Name: r.Name}})
	if err != nil {
		return nil, err
	}
	return &pb.AuthRoleAddResponse{Header: h}, nil
}

func (a authServer) RoleDelete(ctx context.Context, r *pb.AuthRoleDeleteRequest) (*pb.AuthRoleDeleteResponse, error) {
	_, h, err := a.auth(ctx, server.AuthRequest{RoleDelete: &server.RoleDeleteRequest{Role: r.Role}})
	if err != nil {
		return nil, err
	}
	return &pb.AuthRoleDeleteResponse{Header: h}, nil
}

func (a authServer) RoleGrantPermission(ctx context.Context, r *pb.AuthRoleGrantPermissionRequest) (*pb.AuthRoleGrantPermissionResponse, error) {
	if r.Perm == nil {
		return nil, rpctypes.ErrGRPCPermissionNotGiven
	}
	perm := auth.Permission{Type: auth.PermType(r.Perm.PermType), Key: r.Perm.Key, RangeEnd: r.Perm.RangeEnd}
	_, h, err := a.auth(ctx, server.AuthRequest{RoleGrantPermission: &server.RoleGrantPermissionRequest{Name: r.Name, Perm: perm}})
	if err != nil {
		return nil, err
	}
	return &pb.AuthRoleGrantPermissionResponse{Header: h}, nil
}

func (a authServer) RoleRevokePermission(ctx context.Context, r *pb.AuthRoleRevokePermissionRequest) (*pb.AuthRoleRevokePermissionResponse, error) {
	req := &server.RoleRevokePermissionRequest{Role: r.Role, Key: r.Key, RangeEnd: r.RangeEnd}
	_, h, err := a.auth(ctx, server.AuthRequest{RoleRevokePermission: req})
	if err != nil {
		return nil, err
	}
	return &pb.AuthRoleRevokePermissionResponse{Header: h}, nil
}

func (a authServer) RoleGet(ctx context.Context, r *pb.AuthRoleGetRequest) (*pb.AuthRoleGetResponse, error) {
	resp, h, err := a.auth(ctx, server.AuthRequest{RoleGet: &server.RoleGetRequest{Role: r.Role}})
	if err != nil {
		return nil, err
	}
	out := &pb.AuthRoleGetResponse{Header: h}
	for _, p := range resp.Perms {
		out.Perm = append(out.Perm, &authpb.Permission{PermType: authpb.Permission_Type(p.Type), Key: p.Key, RangeEnd: p.RangeEnd})
	}
	return out, nil
}

func (a authServer) RoleList(ctx context.Context, _ *pb.AuthRoleListRequest) (*pb.AuthRoleListResponse, error) {
	resp, h, err := a.auth(ctx, server.AuthRequest{RoleList: &server.RoleListRequest{}})
	if err != nil {
		return nil, err
	}
	return &pb.AuthRoleListResponse{Header: h, Roles: resp.Roles}, nil
}
