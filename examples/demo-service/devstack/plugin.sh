#!/bin/bash
# DevStack plugin for demo-service.

DEMO_SERVICE_DIR=$DEST/demo-service

function install_demo_service {
    setup_develop $DEMO_SERVICE_DIR
}

function create_demo_service_accounts {
    create_service_user "demo-service"
    local service
    service=$(get_or_create_service "demo-service" "identity" "Demo service")
    get_or_create_endpoint $service "$REGION_NAME" "$SERVICE_PROTOCOL://$SERVICE_HOST/demo-service"
}

if is_service_enabled demo-service; then
    if [[ "$1" == "stack" && "$2" == "install" ]]; then
        install_demo_service
    elif [[ "$1" == "stack" && "$2" == "post-config" ]]; then
        create_demo_service_accounts
    fi
fi
